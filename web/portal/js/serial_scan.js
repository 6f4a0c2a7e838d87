// Scanning a unit's QR sticker with the phone's camera, where the browser reads QR codes itself
// (the BarcodeDetector API: Chrome on Android, Safari on recent iPhones). Elsewhere there is
// no scan button and the serial is typed: no library is downloaded for it.
//
// ``canScan()`` → Promise<boolean>; ``scanner({onFound, onFailed})`` → a <dialog> element
// (already open) showing the camera, calling ``onFound(text)`` with the first QR code read and
// closing; the camera is released whenever the dialog closes.
import { h } from '/shared/js/dom.js';
import { t } from '/shared/js/i18n.js';

let supported = null;

/** Whether this browser can read a QR code from the camera (asked once). */
export function canScan() {
  supported ||= (async () => {
    if (!('BarcodeDetector' in window) || !navigator.mediaDevices?.getUserMedia) return false;
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      return formats.includes('qr_code');
    } catch {
      return false;
    }
  })();
  return supported;
}

/** What a QR code holds, as the unit it names: ``{token}`` for a sticker's link (``…/q/<token>``),
 * ``{serial}`` for a serial printed as a code, else ``null``. */
export function unitOf(text) {
  const raw = String(text || '').trim();
  const link = raw.match(/\/q\/([A-Za-z0-9_-]{1,200})\/?(?:[?#].*)?$/);
  if (link) return { token: link[1] };
  const serial = raw.replace(/\s+/g, '').toUpperCase();
  return /^[A-Z0-9][A-Z0-9-]{2,31}$/.test(serial) ? { serial } : null;
}

export function scanner({ onFound, onFailed }) {
  const video = h('video', { playsinline: true, muted: true, 'aria-hidden': 'true', class: 'scan-video' });
  const status = h('p', { role: 'status', id: 'scan-status' }, t('scan.starting'));
  const dialog = h('dialog', { class: 'scan', 'aria-labelledby': 'scan-title', id: 'scan-dialog' },
    h('h2', { id: 'scan-title' }, t('scan.title')),
    video,
    status,
    h('button', { type: 'button', class: 'btn quiet block', id: 'scan-close', onclick: () => dialog.close() }, t('scan.close')));
  let stream = null;
  let timer = 0;
  let done = false;

  function stop() {
    done = true;
    clearTimeout(timer);
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
  }

  dialog.addEventListener('close', () => {
    stop();
    dialog.remove();
  });

  async function start() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch {
      status.textContent = t('scan.no_camera');
      onFailed?.();
      return;
    }
    if (done) {
      stop();
      return;
    }
    video.srcObject = stream;
    await video.play().catch(() => {});
    status.textContent = t('scan.aim');
    const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    const look = async () => {
      if (done) return;
      try {
        const [code] = await detector.detect(video);
        if (code?.rawValue && !done) {
          dialog.close();
          onFound(code.rawValue);
          return;
        }
      } catch {
        // a frame that could not be read: the next one
      }
      timer = setTimeout(look, 250);
    };
    look();
  }

  document.body.append(dialog);
  dialog.showModal();
  start();
  return dialog;
}
