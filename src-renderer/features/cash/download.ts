// A file made on the main side (base64) handed to the clerk: saved through the browser's download
// (Electron: the save dialog) or opened in a new window (PDF viewer).

function blobOf(base64: string, mime: string): Blob {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: mime });
}

/** Bytes as base64 (in slices: String.fromCharCode takes only so many arguments). */
export function base64Of(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/** A text as base64 of its UTF-8 bytes. */
export function textBase64(text: string): string {
  return base64Of(new TextEncoder().encode(text));
}

export interface ExportedFile {
  fileName: string;
  mime: string;
  base64: string;
}

export function saveFile(file: ExportedFile): void {
  const url = URL.createObjectURL(blobOf(file.base64, file.mime));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function openFile(file: ExportedFile): void {
  const url = URL.createObjectURL(blobOf(file.base64, file.mime));
  const w = window.open(url, '_blank', 'noopener');
  if (!w) saveFile(file); // pop-up refused (or Electron without a viewer): save instead
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
