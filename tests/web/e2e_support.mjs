// What every browser test needs: failing with a message, a log line tagged with the test's name,
// and a loopback port to start a server on.
import { createServer } from 'node:net';

export function fail(message) {
  throw new Error(message);
}

export function logger(tag) {
  return (message) => console.log(`[${tag}] ${message}`);
}

// A port nobody listens on right now (the server binds it a moment later).
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Debian's headless Chromium with a profile of its own in `profileDir`, quiet (no first-run,
// sync, updates or QUIC) so that nothing but the page under test makes requests.
export function launchChromium(chromium, executablePath, profileDir) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
}
