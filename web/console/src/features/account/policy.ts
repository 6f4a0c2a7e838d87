// The user pool's password policy, mirrored so that a form says what is wrong before asking
// the API (which checks it again): at least 8 characters with a lower-case and an upper-case
// letter, a digit and a symbol.

/** The catalogue key of the first rule `value` breaks, or null when it meets the policy. */
export function passwordProblem(value: string): string | null {
  if (value.length < 8) return 'password.rule_length';
  if (!/[a-z]/.test(value)) return 'password.rule_lower';
  if (!/[A-Z]/.test(value)) return 'password.rule_upper';
  if (!/[0-9]/.test(value)) return 'password.rule_digit';
  if (!/[^A-Za-z0-9]/.test(value)) return 'password.rule_symbol';
  return null;
}
