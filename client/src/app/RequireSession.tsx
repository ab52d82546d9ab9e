import { Navigate, Outlet, useLocation } from 'react-router';
import { PageSkeleton } from './PageSkeleton';
import { useSession } from './session';

/** Screens that need an account: wait for the session, else go sign in and come back. */
export function RequireSession() {
  const { status, endedByUser } = useSession();
  const location = useLocation();
  if (status === 'loading') return <PageSkeleton />;
  if (status === 'signedOut' && endedByUser) return <Navigate to="/" replace />;
  if (status === 'signedOut') {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <Outlet />;
}
