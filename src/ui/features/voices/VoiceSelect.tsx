import { useMemo } from 'react';
import { groupVoices } from '../../components/voices';
import { useStudio } from '../../store/studio-store';

interface VoiceSelectProps {
  /** A voice name (stock id or user voice name), as used in expressions. */
  value: string;
  onChange: (name: string) => void;
  label: string;
  id?: string;
  testId?: string;
  /** Offer an empty first choice with this text. */
  placeholder?: string;
  className?: string;
}

/** Any voice in the library, by name: the user's voices first, then the stock voices by language. */
export function VoiceSelect({
  value,
  onChange,
  label,
  id,
  testId,
  placeholder,
  className,
}: VoiceSelectProps) {
  const stock = useStudio((s) => s.status?.manifest.voices);
  const library = useStudio((s) => s.voiceLibrary);
  const groups = useMemo(() => groupVoices(stock ?? []), [stock]);
  const known = library.some((v) => v.name === value) || (stock ?? []).some((v) => v.id === value);
  return (
    <select
      id={id}
      aria-label={label}
      data-testid={testId}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      className={`min-w-0 rounded border border-zinc-700 bg-zinc-900 p-1.5 text-sm text-zinc-100 ${className ?? ''}`}
    >
      {placeholder !== undefined && <option value="">{placeholder}</option>}
      {!known && value && <option value={value}>{value} (missing)</option>}
      {library.length > 0 && (
        <optgroup label="Your voices">
          {library.map((v) => (
            <option key={v.id} value={v.name}>
              {v.name}
            </option>
          ))}
        </optgroup>
      )}
      {groups.map((g) => (
        <optgroup key={g.label} label={g.label}>
          {g.voices.map((v) => (
            <option key={v.id} value={v.id}>
              {v.id} · {v.name}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
