// The live view's screen: each row's label in a column of its own and its
// parts beside it, as many to a line as fit the terminal's width (so a
// narrow terminal gets more, shorter lines, never wrapped ones); a part
// longer than a line is cut, a name in its middle. ink redraws it in place.
import { Box, Text } from 'ink';
import type { ViewRow } from './view-rows.js';

/** From this many columns on, labels get a wider column. */
const WIDE_COLUMNS = 60;
const LABEL_WIDTH = { wide: 10, narrow: 8 };
const TONES = { good: 'green', bad: 'red', warn: 'yellow' } as const;

/** The label column's width at a terminal width. */
export function labelWidth(columns: number): number {
  return columns >= WIDE_COLUMNS ? LABEL_WIDTH.wide : LABEL_WIDTH.narrow;
}

/** A row's lines at a width: its parts joined while they fit; the optional parts only if the whole row fits on one line. */
export function rowLines(row: ViewRow, columns: number): string[] {
  const width = Math.max(columns - labelWidth(columns), 1);
  const joiner = row.joiner ?? ', ';
  const whole = [...row.parts, ...(row.wideParts ?? [])].join(joiner);
  if (whole.length <= width) return [whole];
  const lines: string[] = [];
  for (const part of row.parts) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + joiner.length + part.length <= width) lines[last] += joiner + part;
    else lines.push(part);
  }
  return lines;
}

export function LiveScreen({ rows, columns }: { readonly rows: readonly ViewRow[]; readonly columns: number }) {
  return (
    <Box flexDirection="column">
      {rows.map((row, i) => (
        <Box key={i}>
          <Box width={labelWidth(columns)} flexShrink={0}>
            <Text bold color={row.tone && TONES[row.tone]}>
              {row.label}
            </Text>
          </Box>
          <Box flexDirection="column" flexGrow={1} flexShrink={1}>
            {rowLines(row, columns).map((line, j) => (
              <Text key={j} wrap={row.path ? 'truncate-middle' : 'truncate-end'}>
                {line}
              </Text>
            ))}
          </Box>
        </Box>
      ))}
    </Box>
  );
}
