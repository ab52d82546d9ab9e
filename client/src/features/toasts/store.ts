import { useSyncExternalStore, type ReactNode } from 'react';

export interface Toast {
  id: string;
  tone: 'info' | 'success' | 'celebrate' | 'error';
  title: string;
  body?: ReactNode;
  /** Milliseconds before it leaves on its own; 0 keeps it until dismissed. */
  duration: number;
}

let toasts: readonly Toast[] = [];
const listeners = new Set<() => void>();
const timers = new Map<string, ReturnType<typeof setTimeout>>();
let counter = 0;

function emit() {
  for (const listener of listeners) listener();
}

export function dismissToast(id: string): void {
  const timer = timers.get(id);
  if (timer) clearTimeout(timer);
  timers.delete(id);
  toasts = toasts.filter((toast) => toast.id !== id);
  emit();
}

/** Shows a toast (at most three at once: a busy evening must not bury the screen). */
export function showToast(
  input: Omit<Toast, 'id' | 'duration'> & { id?: string; duration?: number },
): string {
  counter += 1;
  const toast: Toast = { duration: 6_000, ...input, id: input.id ?? `toast-${counter}` };
  toasts = [...toasts.filter((t) => t.id !== toast.id), toast].slice(-3);
  if (toast.duration > 0)
    timers.set(
      toast.id,
      setTimeout(() => dismissToast(toast.id), toast.duration),
    );
  emit();
  return toast.id;
}

/** Keeps a toast on screen while the person interacts with it. */
export function holdToast(id: string): void {
  const timer = timers.get(id);
  if (timer) clearTimeout(timer);
  timers.delete(id);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribe, () => toasts);
}
