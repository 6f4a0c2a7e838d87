// A barcode's text from a warehouse scanner (it types the code and presses Enter into the
// focused field) or from the device's camera. The camera uses the browser's BarcodeDetector when
// it has one, else the `barcode-detector` ponyfill (zxing-wasm): its .wasm file is bundled by
// Vite and served from our own origin (locateFile points at the bundled asset, never a CDN), and
// both load only when the camera is first opened.
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The formats a unit's or a carton's label may carry. */
const FORMATS = ['qr_code', 'code_128', 'code_39', 'data_matrix', 'ean_13', 'itf'];
const SCAN_EVERY_MS = 250;

interface DetectedBarcode {
  rawValue: string;
}

interface Detector {
  detect: (source: HTMLVideoElement) => Promise<DetectedBarcode[]>;
}

type DetectorClass = new (options: { formats: string[] }) => Detector;

let detectorClass: Promise<DetectorClass> | null = null;

/** The browser's BarcodeDetector, else the ponyfill with its wasm from our origin. */
function loadDetector(): Promise<DetectorClass> {
  detectorClass ??= (async () => {
    const native = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
    if (native) return native;
    const [{ BarcodeDetector, prepareZXingModule }, wasm] = await Promise.all([
      import('barcode-detector/ponyfill'),
      import('zxing-wasm/reader/zxing_reader.wasm?url'),
    ]);
    const wasmUrl = wasm.default;
    prepareZXingModule({
      overrides: {
        locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path),
      },
      fireImmediately: false,
    });
    return BarcodeDetector as unknown as DetectorClass;
  })();
  return detectorClass;
}

interface ScanInputProps {
  label: string;
  /** Called with each code (trimmed, not empty); the field is cleared for the next scan. */
  onScan: (code: string) => void;
  disabled?: boolean;
  description?: string;
}

/** The focused field a scanner types into, and a camera button. */
export function ScanInput({ label, onScan, disabled = false, description }: ScanInputProps) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [camera, setCamera] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const submit = useCallback(
    (raw: string) => {
      const code = raw.trim();
      if (code) onScan(code);
      setValue('');
      input.current?.focus();
    },
    [onScan],
  );

  return (
    <Stack gap="xs">
      <Group align="flex-end" gap="xs" wrap="wrap">
        <TextInput
          ref={input}
          label={label}
          description={description}
          value={value}
          disabled={disabled}
          // the screen exists to scan: the scanner types here at once
          autoFocus
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          enterKeyHint="send"
          data-testid="scan-input"
          style={{ flex: '1 1 14rem', minWidth: 0 }}
          onChange={(event) => {
            setValue(event.currentTarget.value);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              submit(value);
            }
          }}
        />
        <Button
          variant="default"
          disabled={disabled}
          onClick={() => {
            setCamera(true);
          }}
        >
          {t('scan.camera')}
        </Button>
      </Group>
      {camera && (
        <CameraScanner
          onClose={() => {
            setCamera(false);
            input.current?.focus();
          }}
          onScan={(code) => {
            submit(code);
          }}
        />
      )}
    </Stack>
  );
}

/** The camera in a dialog: each code read once while it stays in view (the same code read again
 * only after it left the picture). */
function CameraScanner({ onClose, onScan }: { onClose: () => void; onScan: (code: string) => void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [last, setLast] = useState('');
  const report = useRef(onScan);
  useEffect(() => {
    report.current = onScan;
  }, [onScan]);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let stopped = false;
    let seen = '';
    const start = async () => {
      try {
        const Detector = await loadDetector();
        const detector = new Detector({ formats: FORMATS });
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        const tick = async () => {
          if (stopped || !video.current) return;
          try {
            const found = await detector.detect(video.current);
            const code = found[0]?.rawValue.trim() ?? '';
            if (code && code !== seen) {
              seen = code;
              setLast(code);
              report.current(code);
            } else if (!code) {
              seen = '';
            }
          } catch {
            // a frame that could not be read: try the next one
          }
          timer = window.setTimeout(() => void tick(), SCAN_EVERY_MS);
        };
        void tick();
      } catch {
        setProblem(t('scan.camera_unavailable'));
      }
    };
    void start();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => {
        track.stop();
      });
    };
  }, [t]);

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('scan.camera_title')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('scan.camera_close') }}
    >
      <Stack>
        {problem ? (
          <Alert color="yellow" role="status">
            {problem}
          </Alert>
        ) : (
          <video
            ref={video}
            muted
            playsInline
            aria-label={t('scan.camera_view')}
            data-testid="scan-camera"
            style={{ width: '100%', borderRadius: 4, background: '#000' }}
          />
        )}
        <Text size="sm" role="status" aria-live="polite">
          {last ? t('scan.camera_read', { code: last }) : t('scan.camera_hint')}
        </Text>
        <Button onClick={onClose}>{t('scan.camera_done')}</Button>
      </Stack>
    </Modal>
  );
}
