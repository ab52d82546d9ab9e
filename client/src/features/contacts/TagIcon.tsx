import type { ContactTag } from '../../../../shared/contacts';

/**
 * Co-operation is a handshake, competition a chess knight. Drawn (handshake) or from the
 * text font (knight) rather than emoji, so they look the same on every phone, including
 * those without a colour-emoji font.
 */
export function TagIcon({ tag, size = 20 }: { tag: ContactTag; size?: number }) {
  if (tag === 'cooperation') {
    return (
      <svg
        className="tag-icon"
        viewBox="0 0 24 24"
        width={size}
        height={size}
        aria-hidden="true"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="M1.5 7.5h3.5l5-2.5 3 1.5" />
        <path d="M22.5 7.5H19l-5.5-1.5-4 3.5a1.5 1.5 0 0 0 2 2.2l2.5-2 5.5 5" />
        <path d="M5 7.5l-.5 7 1.2 1.2M19.5 14.5l-2 1.8" />
        <path d="M5.7 15.7l1.8-1.8a1.3 1.3 0 0 1 1.9 1.9l-1.8 1.8a1.3 1.3 0 0 1-1.9-1.9Z" />
        <path d="M9 16.5l.9-.9a1.3 1.3 0 0 1 1.9 1.9l-.9.9M11.5 18.5l.5-.5a1.3 1.3 0 0 1 1.9 1.9l-.4.4" />
        <path d="M14 20l1 1a1.3 1.3 0 0 0 1.8-1.8l-1-1 .9.9a1.3 1.3 0 0 0 1.8-1.8l-3-3" />
      </svg>
    );
  }
  return (
    <span className="tag-icon tag-icon-text" aria-hidden="true" style={{ fontSize: size }}>
      {tag === 'competition' ? '♞' : '○'}
    </span>
  );
}
