// The expansions OpenSSH applies to path-like ssh_config values: a leading
// `~` (tilde_expand_filename), then `%x` tokens and `${VAR}` environment
// references in one pass (percent_dollar_expand), so a value taken from
// the environment is never expanded again.

/** Thrown with a reason; the caller adds which setting, file and line. */
export class ExpansionError extends Error {}

/** `~` and `~/path` become the home directory; OpenSSH also accepts `~user`, which needs a user database lookup we do not do. */
export function expandTilde(path: string, home: string): string {
  if (!path.startsWith('~')) return path;
  const slash = path.indexOf('/');
  const user = slash < 0 ? path.slice(1) : path.slice(1, slash);
  if (user !== '') throw new ExpansionError(`"~${user}" names another user's home directory; relaysync only expands "~" and "~/"`);
  const rest = slash < 0 ? '' : path.slice(slash).replace(/^\/+/, '');
  return home.replace(/\/?$/, '/') + rest;
}

/**
 * Replaces `%x` tokens from `tokens` (plus `%%`) and, when `env` is given,
 * `${NAME}` with that environment variable. An unknown token, a lone `%` or
 * an unset variable is an error, as in OpenSSH.
 */
export function expandTokens(text: string, tokens: Readonly<Record<string, string>>, env?: NodeJS.ProcessEnv): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (env && ch === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) throw new ExpansionError(`"\${" without a closing "}"`);
      const name = text.slice(i + 2, close);
      if (name === '') throw new ExpansionError('empty environment variable name "${}"');
      const value = env[name];
      if (value === undefined) throw new ExpansionError(`environment variable \${${name}} is not set`);
      out += value;
      i = close;
    } else if (ch === '%') {
      const key = text[++i];
      if (key === undefined) throw new ExpansionError('a lone "%" at the end (write "%%" for a percent sign)');
      if (key === '%') out += '%';
      else if (Object.hasOwn(tokens, key)) out += tokens[key];
      else throw new ExpansionError(`unknown token "%${key}" (known here: ${Object.keys(tokens).map((k) => '%' + k).join(' ')} %%)`);
    } else {
      out += ch;
    }
  }
  return out;
}
