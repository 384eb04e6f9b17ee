"""Golden data for the GE2E port: Resemblyzer's own embed_utterance(preprocess_wav(...)).

Run where resemblyzer 0.1.4 and its dependencies (torch, librosa, webrtcvad, scipy) are
installed:  python scripts/golden/ge2e_golden.py CLIPS_DIR OUT_JSON

CLIPS_DIR holds the 16-bit WAV inputs made by `npx tsx scripts/golden/ge2e-clips.ts CLIPS_DIR`
(LibriSpeech FLAC from ../shared/speech, converted with sox to 16, 22.05, 24 and 48 kHz, and
one clip with long silences). Each input's SHA-256 is written beside its embedding, so the
unit test can tell a different input from a different result.
"""
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import soundfile
from resemblyzer import VoiceEncoder, preprocess_wav
import resemblyzer

clips_dir = Path(sys.argv[1])
out_path = Path(sys.argv[2])
encoder = VoiceEncoder(device="cpu", verbose=False)
entries = []
for wav_path in sorted(clips_dir.glob("*.wav")):
    data, rate = soundfile.read(str(wav_path), dtype="int16")
    # The same float conversion the studio's WAV reader uses: int16 / 32768.
    wav = data.astype(np.float32) / 32768.0
    processed = preprocess_wav(wav, source_sr=rate)
    embed = encoder.embed_utterance(processed)
    entries.append(
        {
            "file": wav_path.name,
            "sha256": hashlib.sha256(wav_path.read_bytes()).hexdigest(),
            "sampleRateHz": int(rate),
            "inputSamples": int(len(wav)),
            "preprocessedSamples": int(len(processed)),
            "embedding": [round(float(v), 7) for v in embed],
        }
    )
    print(f"{wav_path.name}: {rate} Hz, {len(wav)} -> {len(processed)} samples")

out_path.write_text(
    json.dumps(
        {
            "source": f"resemblyzer {getattr(resemblyzer, '__version__', '0.1.4')} embed_utterance(preprocess_wav(wav, source_sr))",
            "clips": entries,
        },
        indent=1,
    )
    + "\n"
)
print(f"wrote {out_path} ({len(entries)} clips)")
