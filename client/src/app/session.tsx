import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { UserDto } from '../../../shared/auth';
import {
  apiRequest,
  NetworkError,
  onAccessTokenChange,
  onSessionLost,
  refreshAccessToken,
  setAccessToken,
} from '../api';
import { CARD_CACHE_KEY } from '../features/card/cardCache';
import { EVENT_CACHE_KEY } from '../features/home/eventCache';
import { useI18n } from '../i18n/i18n';

export type SessionStatus = 'loading' | 'signedOut' | 'signedIn';

export interface SessionValue {
  status: SessionStatus;
  user: UserDto | null;
  /** In memory only; null while offline after a reload (the cached user keeps the app usable). */
  accessToken: string | null;
  currentEventId: string | null;
  setCurrentEventId: (id: string | null) => void;
  /** After register/login: keep the token in memory and the user for offline reloads. */
  signIn: (result: { user: UserDto; accessToken: string }) => void;
  setUser: (user: UserDto) => void;
  /**
   * Warns while scans made offline have not synced yet; resolves false when the person
   * chose to stay signed in.
   */
  signOut: () => Promise<boolean>;
  /** The offline outbox reports its unsynced count here so sign-out can warn. */
  reportPendingScans: (count: number) => void;
  /**
   * Tries the refresh cookie even though this phone remembers no one (its storage was
   * cleared): the sign-in screen calls it before asking for a password.
   */
  resume: () => Promise<boolean>;
  /** Ends the local session without asking (account deleted). */
  clear: (options?: { byUser?: boolean }) => void;
  /** The person ended the session (signed out, deleted the account): go to the start. */
  endedByUser: boolean;
}

const EVENT_KEY = 'coopetition.currentEventId';
const USER_KEY = 'coopetition.user';
/** What screens keep on the phone for offline use; gone with the session. */
const CACHE_KEYS = [CARD_CACHE_KEY, EVENT_CACHE_KEY];
const SessionContext = createContext<SessionValue | null>(null);

function readCachedUser(): UserDto | null {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as UserDto) : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  // Nobody signed in on this phone before: no session to resume, so no refresh call (the
  // start screen shows at once, and anonymous pages make no request bound to fail).
  const [status, setStatus] = useState<SessionStatus>(() =>
    readCachedUser() ? 'loading' : 'signedOut',
  );
  const [user, setUserState] = useState<UserDto | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const [currentEventId, setEventState] = useState<string | null>(() =>
    localStorage.getItem(EVENT_KEY),
  );
  const pendingScans = useRef(0);
  const [endedByUser, setEndedByUser] = useState(false);

  const setUser = useCallback((next: UserDto) => {
    setUserState(next);
    localStorage.setItem(USER_KEY, JSON.stringify(next));
  }, []);

  const clear = useCallback((options: { byUser?: boolean } = {}) => {
    setEndedByUser(options.byUser ?? false);
    setAccessToken(null);
    for (const key of [USER_KEY, EVENT_KEY, ...CACHE_KEYS]) localStorage.removeItem(key);
    setUserState(null);
    setEventState(null);
    setStatus('signedOut');
  }, []);

  const resume = useCallback(async (): Promise<boolean> => {
    try {
      const next = await refreshAccessToken();
      if (!next) return false;
      const me = await apiRequest<{ user: UserDto }>('/me');
      setUser(me.user);
      setStatus('signedIn');
      return true;
    } catch (err) {
      // Offline at start-up: stay signed in with what this phone remembers, so the
      // code, the scanner and the outbox keep working; the token comes back online.
      const cached = err instanceof NetworkError ? readCachedUser() : null;
      setUserState(cached);
      setStatus(cached ? 'signedIn' : 'signedOut');
      return cached !== null;
    }
  }, [setUser]);

  useEffect(() => {
    const offToken = onAccessTokenChange(setToken);
    // A refused refresh (revoked, expired) ends the session; going offline does not.
    const offLost = onSessionLost(clear);
    if (readCachedUser()) void resume();
    return () => {
      offToken();
      offLost();
    };
  }, [resume, clear]);

  // Back online after an offline start: fetch a token so sync and live updates resume.
  useEffect(() => {
    if (status !== 'signedIn' || token) return;
    const retry = () => {
      refreshAccessToken().then(
        (next) => {
          if (!next) clear();
        },
        () => undefined,
      );
    };
    window.addEventListener('online', retry);
    return () => window.removeEventListener('online', retry);
  }, [status, token, clear]);

  const setCurrentEventId = useCallback((id: string | null) => {
    if (id) localStorage.setItem(EVENT_KEY, id);
    else localStorage.removeItem(EVENT_KEY);
    setEventState(id);
  }, []);

  const signIn = useCallback(
    (result: { user: UserDto; accessToken: string }) => {
      setAccessToken(result.accessToken);
      setEndedByUser(false);
      setUser(result.user);
      setStatus('signedIn');
    },
    [setUser],
  );

  const signOut = useCallback(async () => {
    const pending = pendingScans.current;
    if (pending > 0 && !window.confirm(t('session.signOutPending', { count: pending }))) {
      return false;
    }
    try {
      await apiRequest<void>('/auth/logout', { method: 'POST' });
    } catch {
      // Signing out must work offline too; the refresh cookie expires on its own.
    }
    clear({ byUser: true });
    return true;
  }, [clear, t]);

  const reportPendingScans = useCallback((count: number) => {
    pendingScans.current = count;
  }, []);

  const value = useMemo<SessionValue>(
    () => ({
      status,
      user,
      accessToken: token,
      currentEventId,
      setCurrentEventId,
      signIn,
      setUser,
      signOut,
      reportPendingScans,
      resume,
      clear,
      endedByUser,
    }),
    [
      status,
      user,
      token,
      currentEventId,
      setCurrentEventId,
      signIn,
      setUser,
      signOut,
      reportPendingScans,
      resume,
      clear,
      endedByUser,
    ],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside SessionProvider');
  return value;
}
