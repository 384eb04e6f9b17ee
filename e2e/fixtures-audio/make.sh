#!/bin/sh
# Regenerates the e2e test audio (small, committed): espeak-ng speech, converted with sox/ffmpeg.
#   mic-speech.wav   16 kHz mono: 1.5 s silence, a sentence, 2 s silence (the fake microphone loops it)
#   speech.wav       16 kHz stereo 16-bit: the upload reference (two sentences, 0.5 s padding)
#   speech.mp3/.ogg  the same audio as MP3 and OGG/Opus
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
espeak-ng -v en-us -w "$tmp/a.wav" "The quick brown fox jumps over the lazy dog while the farmer watches."
espeak-ng -v en-us -w "$tmp/b.wav" "Please call Stella and ask her to bring these things with her."
sox "$tmp/a.wav" -r 16000 -c 1 -b 16 mic-speech.wav pad 1.5 2
sox "$tmp/b.wav" "$tmp/a.wav" -r 16000 -c 2 -b 16 speech.wav pad 0.5 0.5
ffmpeg -loglevel error -y -i speech.wav -c:a libmp3lame -b:a 64k speech.mp3
ffmpeg -loglevel error -y -i speech.wav -c:a libopus -b:a 32k speech.ogg
