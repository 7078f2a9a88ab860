/**
 * @file Saving a file the page made: the browser's download of bytes or a Blob.
 */

/** Offers bytes (or a Blob, which may be kept on disk) to the user as a download. */
export function download(data: Uint8Array | Blob, fileName: string, mime: string): void {
  const blob = data instanceof Blob ? data : new Blob([data as Uint8Array<ArrayBuffer>], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
