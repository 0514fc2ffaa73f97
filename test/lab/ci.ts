// Whether the tests run in CI, where a missing part of the lab is an error,
// not a reason to fall back or skip.
export function underCi(): boolean {
  const value = process.env.CI;
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}
