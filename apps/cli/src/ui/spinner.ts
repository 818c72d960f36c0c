import { dim, green, red } from '../output';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Progress {
  /** The step now running (a spinner on a terminal; one plain line otherwise). */
  step(text: string): void;
  /** A line that stays (a finished step, a note). */
  done(text: string): void;
  fail(text: string): void;
  /** Stops the spinner and clears its line. */
  stop(): void;
}

/**
 * Progress on stderr: an animated line on a terminal, plain lines when piped (CI logs, scripts),
 * so stdout stays for results.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let current: string | null = null;
  let frame = 0;
  let timer: NodeJS.Timeout | null = null;

  const clear = () => {
    if (tty && current !== null) stream.write('\r\x1b[2K');
  };
  const render = () => {
    if (current === null) return;
    const width = Math.max(20, (stream.columns ?? 80) - 3);
    stream.write(`\r\x1b[2K${FRAMES[frame % FRAMES.length]} ${current.slice(0, width)}`);
    frame += 1;
  };

  return {
    step(text) {
      if (!tty) {
        if (text !== current) stream.write(`${dim('…')} ${text}\n`);
        current = text;
        return;
      }
      current = text;
      render();
      if (!timer) {
        timer = setInterval(render, 80);
        timer.unref();
      }
    },
    done(text) {
      clear();
      stream.write(`${green('✓')} ${text}\n`);
      if (tty) render();
    },
    fail(text) {
      clear();
      stream.write(`${red('✗')} ${text}\n`);
      if (tty) render();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      clear();
      current = null;
    },
  };
}
