// Text out of the model as it is sampled: `streamText(model, prompt, options)` yields strings
// that never end inside a UTF-8 character (a character whose bytes span two tokens waits for the
// second token) and stops before the first stop string (which is not yielded). A character left
// incomplete by the token limit is dropped. This is the
// `TextGenerator.stream` contract of @wattformer/model, written here on `generateStream`.
import { generateStream } from '@wattformer/model';

const REPLACEMENT = '\uFFFD';

export async function* streamText({ parameters, config, tokenizer }, prompt, { stop = [], ...generateOptions }) {
  const promptIds = tokenizer.encode(prompt);
  const ids = [];
  let text = ''; // decoded so far, complete characters only
  let emitted = 0; // characters of `text` already yielded
  for await (const { token } of generateStream(parameters, config, [promptIds], generateOptions)) {
    ids.push(token);
    let decoded = tokenizer.decode(ids);
    // Trailing U+FFFD is an incomplete character (its remaining bytes are in later tokens).
    while (decoded.endsWith(REPLACEMENT)) decoded = decoded.slice(0, -1);
    if (decoded.length <= text.length) continue;
    text = decoded;
    const at = firstStop(text, stop);
    if (at >= 0) {
      if (at > emitted) yield text.slice(emitted, at);
      return;
    }
    // Hold back a tail that could still become a stop string.
    const safe = text.length - longestStopPrefixSuffix(text, stop);
    if (safe > emitted) {
      yield text.slice(emitted, safe);
      emitted = safe;
    }
  }
  // The token limit was reached: yield what was held back for a possible stop string, but not a
  // character whose bytes never completed.
  let final = tokenizer.decode(ids);
  while (final.endsWith(REPLACEMENT)) final = final.slice(0, -1);
  if (final.length > emitted) yield final.slice(emitted);
}

function firstStop(text, stops) {
  let first = -1;
  for (const s of stops) {
    const at = text.indexOf(s);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

function longestStopPrefixSuffix(text, stops) {
  let longest = 0;
  for (const s of stops) {
    for (let n = Math.min(s.length - 1, text.length); n > longest; n--) {
      if (text.endsWith(s.slice(0, n))) {
        longest = n;
        break;
      }
    }
  }
  return longest;
}
