/**
 * A local stand-in for the model hub repo `onnx-community/Kokoro-82M-v1.0-ONNX`, so kokoro-js
 * (via transformers.js `env.localModelPath`) loads the SAME .onnx file our pipeline runs,
 * with no network. Layout: `<root>/<KOKORO_JS_MODEL_ID>/{config.json, tokenizer.json,
 * tokenizer_config.json, onnx/model_quantized.onnx}`.
 *
 * The tokenizer files are written from shared/docs/kokoro-vocab.json in the shape
 * transformers.js expects (read from its src/tokenizers.js): a vocab-only model (it becomes
 * a LegacyTokenizerModel), a normaliser that deletes symbols outside the vocab (the reference
 * drops them), a pre-tokeniser that splits into single code points, and a template that puts
 * the pad `$` (id 0) at both ends. Truncation stops at model_max_length = 510 + 2 pads.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from '../../src/test-support/shared';

export const KOKORO_JS_MODEL_ID = 'onnx-community/Kokoro-82M-v1.0-ONNX';
const PAD_SYMBOL = '$';
const MODEL_MAX_TOKENS_WITH_PADS = 512;

function escapeForCharClass(symbol: string): string {
  return symbol.replace(/[\\\]^[-]/g, (c) => `\\${c}`);
}

export function kokoroTokenizerJson(vocab: Record<string, number>): unknown {
  const symbols = Object.keys(vocab);
  const notInVocab = `[^${symbols.map(escapeForCharClass).join('')}]`;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: { type: 'Replace', pattern: { Regex: notInVocab }, content: '' },
    // An empty regex matches between every code point: one token per symbol.
    pre_tokenizer: { type: 'Split', pattern: { Regex: '' }, behavior: 'Isolated', invert: false },
    model: { vocab: { [PAD_SYMBOL]: 0, ...vocab } },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: PAD_SYMBOL, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: PAD_SYMBOL, type_id: 0 } },
      ],
      pair: [],
      special_tokens: { [PAD_SYMBOL]: { id: PAD_SYMBOL, ids: [0], tokens: [PAD_SYMBOL] } },
    },
    decoder: null,
  };
}

export interface HubLayout {
  /** Value for transformers' `env.localModelPath`. */
  root: string;
  modelId: string;
}

/** Writes the repo layout into a fresh temp folder around a copy of `onnxPath`. */
export function writeKokoroHubLayout(onnxPath: string): HubLayout {
  const root = mkdtempSync(join(tmpdir(), 'timbre-bench-kokoro-js-'));
  const repo = join(root, KOKORO_JS_MODEL_ID);
  mkdirSync(join(repo, 'onnx'), { recursive: true });
  const vocab = JSON.parse(readFileSync(sharedPath('docs', 'kokoro-vocab.json'), 'utf8')) as Record<
    string,
    number
  >;
  writeFileSync(join(repo, 'config.json'), JSON.stringify({ model_type: 'style_text_to_speech_2' }));
  writeFileSync(join(repo, 'tokenizer.json'), JSON.stringify(kokoroTokenizerJson(vocab)));
  writeFileSync(
    join(repo, 'tokenizer_config.json'),
    JSON.stringify({
      model_max_length: MODEL_MAX_TOKENS_WITH_PADS,
      pad_token: PAD_SYMBOL,
      unk_token: PAD_SYMBOL,
      tokenizer_class: 'PreTrainedTokenizer',
    }),
  );
  // q8 = `model_quantized.onnx` in transformers' dtype -> file-suffix table.
  copyFileSync(onnxPath, join(repo, 'onnx', 'model_quantized.onnx'));
  return { root, modelId: KOKORO_JS_MODEL_ID };
}
