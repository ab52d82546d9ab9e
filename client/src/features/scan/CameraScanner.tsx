import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import {
  CameraError,
  hasTorch,
  openCamera,
  setTorch,
  stopCamera,
  type CameraProblem,
} from './camera';
import { createDetector, type QrDetector } from './detector';

interface Props {
  /** While a result is on screen the camera keeps running (instant "Scan next") but reads nothing. */
  paused: boolean;
  onDetect: (text: string) => void;
  onProblem: (problem: CameraProblem) => void;
}

/** Pause between two reads: fast enough to feel instant, slow enough to spare the battery. */
const NATIVE_INTERVAL_MS = 90;
const WORKER_INTERVAL_MS = 110;

/** The live camera with a viewfinder, reading QR codes continuously. */
export function CameraScanner({ paused, onDetect, onProblem }: Props) {
  const { t } = useI18n();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [torchOn, setTorchOn] = useState(false);
  const pausedRef = useRef(paused);
  const onDetectRef = useRef(onDetect);
  const onProblemRef = useRef(onProblem);

  useEffect(() => {
    pausedRef.current = paused;
    onDetectRef.current = onDetect;
    onProblemRef.current = onProblem;
  });

  // Camera and detector live as long as the scanner is on screen.
  useEffect(() => {
    let stopped = false;
    let opened: MediaStream | null = null;
    let detector: QrDetector | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const tick = async () => {
      const video = videoRef.current;
      if (stopped || !video || !detector) return;
      if (!pausedRef.current && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
        const text = await detector.detect(video).catch(() => null);
        if (stopped) return;
        if (text && !pausedRef.current) onDetectRef.current(text);
      }
      const wait = detector.kind === 'native' ? NATIVE_INTERVAL_MS : WORKER_INTERVAL_MS;
      timer = setTimeout(() => void tick(), wait);
    };

    (async () => {
      try {
        // Start the decoder download while the camera warms up.
        const [camera, reader] = await Promise.all([openCamera(), createDetector()]);
        opened = camera;
        detector = reader;
        if (stopped) return;
        const video = videoRef.current;
        if (video) {
          video.srcObject = camera;
          await video.play().catch(() => undefined);
        }
        setStream(camera);
        void tick();
      } catch (err) {
        if (!stopped)
          onProblemRef.current(err instanceof CameraError ? err.problem : 'unsupported');
      }
    })();

    return () => {
      stopped = true;
      clearTimeout(timer);
      detector?.close();
      stopCamera(opened);
    };
  }, []);

  const torch = hasTorch(stream);

  return (
    <div className="scanner">
      <div className="scanner-view">
        <video
          ref={videoRef}
          className="scanner-video"
          muted
          playsInline
          autoPlay
          aria-hidden="true"
        />
        <div className="scanner-frame" aria-hidden="true" />
        {!stream && <p className="scanner-starting">{t('scan.starting')}</p>}
      </div>
      <p className="scanner-instructions">{t('scan.instructions')}</p>
      {torch && (
        <button
          type="button"
          className="button button-ghost scanner-torch"
          aria-pressed={torchOn}
          onClick={() => void setTorch(stream, !torchOn).then(setTorchOn)}
        >
          <span aria-hidden="true">🔦</span> {torchOn ? t('scan.torchOff') : t('scan.torchOn')}
        </button>
      )}
    </div>
  );
}
