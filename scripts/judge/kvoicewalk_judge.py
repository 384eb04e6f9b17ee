"""KVoiceWalk's judge, for the real-model clone benchmark (never the app).

Scores renderings the way KVoiceWalk reports its results (shared/docs/speaker.md): Resemblyzer's
own GE2E (`embed_utterance(preprocess_wav(audio, source_sr=24000))`, inner product with the
target's), self similarity between the renderings of two texts, and KVoiceWalk's feature
similarity: 106 librosa scalars of the 24 kHz rendering, penalty = sum |f - f_t| / |f_t|,
similarity = (100 - penalty) / 100 (0.01 when negative). Score = the weighted harmonic mean
with weights 0.48 / 0.5 / 0.02, in [0, 1].

Input (stdin, JSON): {"target": wav, "items": [{"id": str, "transcript": wav, "other": wav}]}.
Output: one JSON line per item. Needs Resemblyzer 0.1.4 and librosa (the bench's README says how).
"""

import json
import sys
import warnings

import librosa
import numpy as np
import scipy.stats
import soundfile as sf

warnings.filterwarnings("ignore")

from resemblyzer import VoiceEncoder, preprocess_wav  # noqa: E402

RATE = 24000
N_FFT = 2048
HOP = 512
WEIGHTS = np.array([0.48, 0.5, 0.02])


def _stats(prefix, values):
    return {f"{prefix}_mean": float(np.mean(values)), f"{prefix}_std": float(np.std(values))}


def _pitch_stats(y):
    pitches, magnitudes = librosa.core.piptrack(y=y, sr=RATE, n_fft=N_FFT, hop_length=HOP)
    strongest = magnitudes.argmax(axis=0)
    track = pitches[strongest, np.arange(pitches.shape[1])]
    voiced = track[track > 0]
    if voiced.size == 0:
        return {"pitch_mean": 0.0, "pitch_std": 0.0}
    return {"pitch_mean": float(np.mean(voiced)), "pitch_std": float(np.std(voiced))}


def _beat_stats(y):
    tempo, beats = librosa.beat.beat_track(y=y, sr=RATE)
    out = {"tempo": float(np.atleast_1d(tempo)[0])}
    times = librosa.frames_to_time(beats, sr=RATE) if len(beats) > 0 else np.array([])
    if times.size > 1:
        out.update(_stats("beat", np.diff(times)))
    else:
        out.update({"beat_mean": 0.0, "beat_std": 0.0})
    return out


def features(y):
    """The 106 scalars, named as KVoiceWalk names them."""
    f = {
        "rms_energy": float(np.sqrt(np.mean(y**2))),
        "zero_crossing_rate": float(np.mean(librosa.feature.zero_crossing_rate(y))),
    }
    spectral = {
        "spectral_centroid": librosa.feature.spectral_centroid,
        "spectral_bandwidth": librosa.feature.spectral_bandwidth,
        "spectral_rolloff": librosa.feature.spectral_rolloff,
    }
    for name, fn in spectral.items():
        f.update(_stats(name, fn(y=y, sr=RATE, n_fft=N_FFT, hop_length=HOP)[0]))
    f.update(_stats("spectral_contrast", librosa.feature.spectral_contrast(y=y, sr=RATE, n_fft=N_FFT, hop_length=HOP)))
    mfcc = librosa.feature.mfcc(y=y, sr=RATE, n_mfcc=13, n_fft=N_FFT, hop_length=HOP)
    for i, row in enumerate(mfcc):
        f.update(_stats(f"mfcc{i + 1}", row))
    for i, row in enumerate(librosa.feature.delta(mfcc)):
        f.update(_stats(f"mfcc{i + 1}_delta", row))
    chroma = librosa.feature.chroma_stft(y=y, sr=RATE, n_fft=N_FFT, hop_length=HOP)
    f.update(_stats("chroma", chroma))
    for i, row in enumerate(chroma):
        f.update(_stats(f"chroma_{i + 1}", row))
    f.update(_stats("mel_spec", librosa.feature.melspectrogram(y=y, sr=RATE, n_fft=N_FFT, hop_length=HOP)))
    f.update(_stats("spectral_flatness", librosa.feature.spectral_flatness(y=y, n_fft=N_FFT, hop_length=HOP)[0]))
    f.update(_stats("tonnetz", librosa.feature.tonnetz(y=y, sr=RATE)))
    f.update(_beat_stats(y))
    f.update(_pitch_stats(y))
    energy = np.array([np.sum(np.abs(y[i : i + HOP])) for i in range(0, len(y), HOP)])
    f.update(_stats("energy", energy))
    power = np.abs(librosa.stft(y, n_fft=N_FFT, hop_length=HOP)) ** 2
    mean, std = power.mean(axis=1), power.std(axis=1)
    f["harmonic_ratio"] = float(np.mean(np.divide(mean, std, out=np.zeros_like(mean), where=std != 0)))
    f.update(
        {
            "audio_mean": float(np.mean(y)),
            "audio_std": float(np.std(y)),
            "audio_skew": float(scipy.stats.skew(y)),
            "audio_kurtosis": float(scipy.stats.kurtosis(y)),
        }
    )
    return f


def relative_difference(value, reference):
    # KVoiceWalk divides by the target's value and would crash on a zero one (no beats found in
    # a short clip, say): equal zeros differ by nothing, anything else by an unbounded amount.
    if reference == 0:
        return 0.0 if value == 0 else float("inf")
    return abs((value - reference) / reference)


def feature_similarity(candidate, target):
    penalty = sum(relative_difference(value, target[key]) for key, value in candidate.items())
    similarity = (100.0 - penalty) / 100.0
    return 0.01 if similarity < 0 else float(similarity)


def read(path):
    y, rate = sf.read(path, dtype="float32")
    if y.ndim > 1:
        y = y.mean(axis=1)
    if rate != RATE:
        raise SystemExit(f"{path}: expected {RATE} Hz, got {rate}")
    return y


def main():
    job = json.load(sys.stdin)
    encoder = VoiceEncoder(device="cpu", verbose=False)
    target = read(job["target"])
    target_embed = encoder.embed_utterance(preprocess_wav(target, source_sr=RATE))
    target_features = features(target)
    for item in job["items"]:
        spoken = read(item["transcript"])
        other = read(item["other"])
        spoken_embed = encoder.embed_utterance(preprocess_wav(spoken, source_sr=RATE))
        other_embed = encoder.embed_utterance(preprocess_wav(other, source_sr=RATE))
        values = np.array(
            [
                float(np.inner(spoken_embed, target_embed)),
                float(np.inner(spoken_embed, other_embed)),
                feature_similarity(features(spoken), target_features),
            ]
        )
        score = float(WEIGHTS.sum() / np.sum(WEIGHTS / np.maximum(values, 1e-3)))
        print(
            json.dumps(
                {
                    "id": item["id"],
                    "target_similarity": values[0],
                    "self_similarity": values[1],
                    "feature_similarity": values[2],
                    "score": score,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
