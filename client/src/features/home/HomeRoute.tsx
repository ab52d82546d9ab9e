import { lazy } from 'react';
import { PageSkeleton } from '../../app/PageSkeleton';
import { useSession } from '../../app/session';
import { HomePage } from './HomePage';

const Dashboard = lazy(() => import('./Dashboard').then((m) => ({ default: m.Dashboard })));

/** `/`: the start screen for newcomers, the exchange home once signed in. */
export function HomeRoute() {
  const { status } = useSession();
  if (status === 'loading') return <PageSkeleton />;
  if (status === 'signedOut') return <HomePage />;
  return <Dashboard />;
}
