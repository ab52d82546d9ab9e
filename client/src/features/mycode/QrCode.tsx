import { useMemo } from 'react';
import { encodeQr, qrPath, QUIET_ZONE } from './qr';

/** Black-on-white QR with its quiet zone, as scalable SVG (crisp on any screen density). */
export function QrCode({ value, label }: { value: string; label: string }) {
  const { size, path } = useMemo(() => {
    const matrix = encodeQr(value);
    return { size: matrix.size + QUIET_ZONE * 2, path: qrPath(matrix) };
  }, [value]);
  return (
    <svg
      className="qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
