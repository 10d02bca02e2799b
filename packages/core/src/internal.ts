/**
 * `@wattformer/core/internal`: building blocks the other wattformer packages share (the
 * counter-based random hash). Not part of the public API: no semver promise, no API reference.
 * @internal
 * @packageDocumentation
 */
export { lowbias32, normalAt, randomBits, uniformAt } from './random';
