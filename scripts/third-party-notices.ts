/**
 * Third-party notices generated from the production bundle: rollup-plugin-license runs in the
 * main build and in every worker build (the workers carry onnxruntime-web, eSpeak NG through
 * `phonemizer`, compromise, vad-web, RNNoise, libfvad), each instance adds the packages its
 * bundle really contains to one shared list, and every write is the whole list so far: the
 * file after the last build lists everything shipped. The models and data the studio fetches
 * at run time (not in the bundle) are listed first, with their licences.
 *
 * Served as `/third-party-notices.txt`; the studio links to it (Models & settings).
 */
import license from 'rollup-plugin-license';
import type { Plugin } from 'vite';

export const NOTICES_FILE = 'third-party-notices.txt';

type Dependency = license.Dependency;

/** Models and data: fetched or self-hosted at run time, never in the JavaScript bundle. */
const MODELS_AND_DATA = `Models and data the studio loads at run time (not part of the JavaScript bundle)
-------------------------------------------------------------------------------

Kokoro-82M v1.0 (weights and the 54 stock voice packs) — Apache License 2.0, hexgrad
  https://huggingface.co/hexgrad/Kokoro-82M
  ONNX exports: onnx-community/Kokoro-82M-v1.0-ONNX (Apache-2.0) and kokoro-onnx
  (thewh1teagle/kokoro-onnx, release model-files-v1.0, MIT), converted from those weights.

misaki English lexicons (us_gold, us_silver, gb_gold, gb_silver) — Apache License 2.0, hexgrad
  https://github.com/hexgrad/misaki (misaki/data, commit fba1236)

WeSpeaker ResNet34-LM speaker encoder — CC BY 4.0
  Wang et al., "Wespeaker", ICASSP 2023; trained on VoxCeleb. ONNX export:
  https://huggingface.co/onnx-community/wespeaker-voxceleb-resnet34-LM; original:
  https://github.com/wenet-e2e/wespeaker. Licence: https://creativecommons.org/licenses/by/4.0/

Resemblyzer GE2E voice encoder (pretrained.pt) — Apache License 2.0, Resemble AI
  https://github.com/resemble-ai/Resemblyzer (after Wan et al., "Generalized End-to-End Loss
  for Speaker Verification", ICASSP 2018)

Silero VAD v5 (shipped inside @ricky0123/vad-web) — MIT, Silero Team
  https://github.com/snakers4/silero-vad

RNNoise (WASM build by Jitsi, @jitsi/rnnoise-wasm) — BSD-3-Clause (RNNoise), Apache-2.0 (build)
  https://github.com/xiph/rnnoise

eSpeak NG (compiled into the phonemizer package, in the text worker) — GPL-3.0-or-later
  https://github.com/espeak-ng/espeak-ng — the reason Timbre itself is GPL-3.0-or-later.

libfvad, the WebRTC voice activity detector (@echogarden/fvad-wasm) — BSD-3-Clause
  https://github.com/dpirch/libfvad
`;

const shipped = new Map<string, Dependency>();

function repositoryUrl(dependency: Dependency): string {
  const repository = dependency.repository;
  if (!repository) return dependency.homepage ?? '';
  return typeof repository === 'string' ? repository : repository.url;
}

/** The whole notices text for the packages seen so far (sorted, one block each). */
export function noticesText(dependencies: Iterable<Dependency>): string {
  const blocks = [...dependencies]
    .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
    .map((d) =>
      [
        `${d.name}@${d.version} — ${d.license ?? 'licence not stated'}`,
        repositoryUrl(d) ? `  ${repositoryUrl(d)}` : '',
        '',
        (
          d.licenseText ??
          `(The package ships no licence text; its package.json says ${d.license ?? 'nothing'}.)`
        ).trim(),
        d.noticeText ? `\n${d.noticeText.trim()}` : '',
      ]
        .filter((line, i) => i !== 1 || line)
        .join('\n'),
    );
  return [
    'Timbre voice studio — third-party notices',
    '==========================================',
    '',
    'Timbre is free software under the GNU General Public License, version 3 or later (see LICENSE).',
    '',
    MODELS_AND_DATA,
    `Packages in the production bundle (${blocks.length}), generated from the bundle by rollup-plugin-license`,
    '---------------------------------------------------------------------------------------',
    '',
    blocks.join('\n\n------------------------------------------------------------------------\n\n'),
    '',
  ].join('\n');
}

/** Collects the packages of one build (main or a worker) into the shared list. */
export function collectThirdParty(): Plugin {
  return license({
    thirdParty: (dependencies) => {
      for (const d of dependencies) if (!d.private) shipped.set(`${d.name}@${d.version}`, d);
    },
  }) as unknown as Plugin;
}

/**
 * Writes the notices into the main build's output folder, after everything (the worker builds
 * run inside the main build, so their packages are in the list by then).
 */
export function emitThirdPartyNotices(): Plugin {
  return {
    name: 'timbre:third-party-notices',
    apply: 'build',
    generateBundle: {
      order: 'post',
      handler() {
        this.emitFile({ type: 'asset', fileName: NOTICES_FILE, source: noticesText(shipped.values()) });
      },
    },
  };
}
