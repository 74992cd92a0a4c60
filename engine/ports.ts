/**
 * The small ports through which the pure engine reaches the outside world. Only engine/host/
 * implements them (with fs); everything else in engine/ receives them as arguments.
 */

/** Read-only access to files the user chose and to the app's own assets. */
export interface FilePort {
  /** Reads a user file (a CSV, a GloVe file) as bytes. Rejects with a message naming the path. */
  readFile(path: string): Promise<Uint8Array>;
  /**
   * Opens a user file to read it a chunk at a time (a data file too large to hold whole): its
   * size, and its bytes. Rejects (or the chunks throw) with a message naming the path. Optional:
   * without it, data files are read whole with `readFile`.
   */
  openFile?(path: string): Promise<{ size: number; chunks: AsyncIterable<Uint8Array> }>;
  /**
   * The entries of a user folder (an image folder): each name, and whether it is a folder itself.
   * Rejects with a message naming the path. Optional: without it, image folders cannot be read.
   */
  listFolder?(path: string): Promise<{ name: string; folder: boolean }[]>;
  /** Reads a file shipped under assets/, e.g. "datasets/surnames.csv". */
  readAsset(relativePath: string): Promise<Uint8Array>;
}
