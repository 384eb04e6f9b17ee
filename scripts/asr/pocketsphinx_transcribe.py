"""Transcribes 16 kHz mono 16-bit WAV files with PocketSphinx 5.1.1's bundled US English model
(acoustic model, language model and dictionary from the wheel). One JSON line per file:
{"file": ..., "text": ...}. Used by the intelligibility checks as a relative measure only: it
is weak on synthetic speech (shared/docs/real-models.md).

Run with the wheel's extracted folder on PYTHONPATH (npm run models:real lays it out; nothing
is installed): PYTHONPATH=DIR python3 scripts/asr/pocketsphinx_transcribe.py A.wav B.wav
"""
import json
import sys
import wave

from pocketsphinx import Decoder

decoder = Decoder(samprate=16000, loglevel="FATAL")
for path in sys.argv[1:]:
    with wave.open(path, "rb") as wav:
        if wav.getframerate() != 16000 or wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            sys.exit(f"{path}: expected 16 kHz mono 16-bit PCM")
        data = wav.readframes(wav.getnframes())
    decoder.start_utt()
    decoder.process_raw(data, full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    print(json.dumps({"file": path, "text": hyp.hypstr if hyp else ""}), flush=True)
