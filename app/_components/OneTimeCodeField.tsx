import { PHONE_CODE_LENGTH } from "../../server/identity/phoneCodeWords";

/** The "6-digit code" input of phone sign-in and of adding a number: digits only. */
export function OneTimeCodeField(props: { value: string; onChange: (digits: string) => void }) {
  return (
    <label>
      {PHONE_CODE_LENGTH}-digit code
      <input
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="\d*"
        maxLength={PHONE_CODE_LENGTH}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value.replace(/\D/g, ""))}
        required
      />
    </label>
  );
}
