import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number): void;
  tick(file: string): void;
  stop(): void;
}

const silent: Progress = { start() {}, tick() {}, stop() {} };

/**
 * A progress bar on `stream` when it is a terminal; nothing otherwise, so pipes and logs stay clean. The bar is
 * cleared when the run ends, leaving only the report.
 */
export function createProgress(stream: NodeJS.WriteStream, enabled: boolean): Progress {
  if (!enabled || !stream.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{bar} {value}/{total} files  {file}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  let started = false;
  return {
    start(total) {
      started = true;
      bar.start(total, 0, { file: '' });
    },
    tick(file) {
      if (started) bar.update(++done, { file: file.length > 60 ? `…${file.slice(-59)}` : file });
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
