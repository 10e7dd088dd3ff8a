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
