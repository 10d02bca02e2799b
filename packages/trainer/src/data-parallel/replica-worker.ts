// Node's default replica worker (worker_threads); the backend package is imported by name.
import { serveReplica } from './serve-replica';

await serveReplica();
