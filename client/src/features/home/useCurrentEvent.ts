import { useEffect, useState } from 'react';
import type { EventDto, EventMembershipResponse } from '../../../../shared/events';
import { apiRequest } from '../../api';
import { useSession } from '../../app/session';
import { EVENT_CACHE_KEY } from './eventCache';

function cached(id: string | null): EventDto | null {
  if (!id) return null;
  try {
    const event = JSON.parse(localStorage.getItem(EVENT_CACHE_KEY) ?? 'null') as EventDto | null;
    return event?.id === id ? event : null;
  } catch {
    return null;
  }
}

/** The current event, remembered on the phone so its name shows offline too. */
export function useCurrentEvent(): { event: EventDto | null; missing: boolean } {
  const { currentEventId, setCurrentEventId } = useSession();
  const [event, setEvent] = useState<EventDto | null>(() => cached(currentEventId));
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    if (!currentEventId) return;
    let cancelled = false;
    apiRequest<EventMembershipResponse>(`/events/${encodeURIComponent(currentEventId)}`).then(
      (res) => {
        if (cancelled) return;
        localStorage.setItem(EVENT_CACHE_KEY, JSON.stringify(res.event));
        setEvent(res.event);
      },
      (err: unknown) => {
        if (cancelled) return;
        // The event is gone or I am no longer a member: forget it, offer to join again.
        if (typeof err === 'object' && err && 'status' in err && err.status === 404) {
          setCurrentEventId(null);
          setMissing(true);
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [currentEventId, setCurrentEventId]);

  return { event: currentEventId ? event : null, missing };
}
