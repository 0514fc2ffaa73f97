// The order rsync sorts a file list in (f_name_cmp in flist.c). Indexes on
// the wire count in this order, so the broker must sort exactly as rsync does
// to say which file an index is. From protocol 29 a directory compares as
// "name/" and, within one directory, files come before subdirectories; the
// transfer root "." sorts first. Before 29 names compare as plain bytes.

const ITEM = 0;
const PATH = 1;
const IN_DIR = 0;
const AT_SLASH = 1;
const IN_BASE = 2;
const TRAILING = 3;

const SLASH = Buffer.from('/');
const NOTHING = Buffer.alloc(0);

/** One side of a comparison: a cursor over the pieces of a name (bytes start..end of a buffer). */
class NameWalk {
  buf: Buffer = NOTHING;
  pos = 0;
  end = 0;
  state = IN_BASE;
  type = ITEM;
  private readonly slash: number;

  constructor(
    private readonly name: Buffer,
    private readonly nameStart: number,
    private readonly nameEnd: number,
    private readonly isDir: boolean,
    private readonly pathType: number,
  ) {
    let slash = nameEnd - 1;
    while (slash >= nameStart && name[slash] !== 0x2f) slash--;
    this.slash = slash;
    if (slash < nameStart) this.enterBase();
    else this.set(name, nameStart, slash, IN_DIR, pathType);
  }

  private set(buf: Buffer, pos: number, end: number, state: number, type: number): void {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.state = state;
    this.type = type;
  }

  private enterBase(): void {
    const start = Math.max(this.slash + 1, this.nameStart);
    const type = this.isDir ? this.pathType : ITEM;
    if (type === PATH && this.nameEnd - start === 1 && this.name[start] === 0x2e) this.set(NOTHING, 0, 0, TRAILING, ITEM);
    else this.set(this.name, start, this.nameEnd, IN_BASE, type);
  }

  /** Moves to the next piece when the current one is used up. */
  advance(): void {
    switch (this.state) {
      case IN_DIR:
        this.set(SLASH, 0, 1, AT_SLASH, this.type);
        break;
      case AT_SLASH:
        this.enterBase();
        break;
      case IN_BASE:
        if (this.type === PATH) this.set(SLASH, 0, 1, TRAILING, PATH);
        else this.set(NOTHING, 0, 0, TRAILING, ITEM);
        break;
      default:
        this.type = ITEM;
    }
  }

  get exhausted(): boolean {
    return this.pos >= this.end;
  }

  next(): number {
    return this.pos < this.end ? this.buf[this.pos++]! : (this.pos++, 0);
  }
}

/**
 * Compares two names given as byte ranges (so a list can keep all its names
 * in one buffer), with whether each is a directory.
 */
export function compareFileNames(
  buf1: Buffer,
  start1: number,
  end1: number,
  isDir1: boolean,
  buf2: Buffer,
  start2: number,
  end2: number,
  isDir2: boolean,
  protocol: number,
): number {
  const pathType = protocol >= 29 ? PATH : ITEM;
  const a = new NameWalk(buf1, start1, end1, isDir1, pathType);
  const b = new NameWalk(buf2, start2, end2, isDir2, pathType);
  if (a.type !== b.type) return a.type === PATH ? 1 : -1;
  for (;;) {
    if (a.exhausted) {
      a.advance();
      if (!b.exhausted && a.type !== b.type) return a.type === PATH ? 1 : -1;
    }
    if (b.exhausted) {
      // A plain name that ends falls straight into its trailing state: two
      // names that end together are equal.
      if (b.state === TRAILING || (b.state === IN_BASE && b.type === ITEM)) {
        if (a.exhausted) return 0;
        b.state = TRAILING;
        b.type = ITEM;
      } else {
        b.advance();
      }
      if (a.type !== b.type) return a.type === PATH ? 1 : -1;
    }
    const diff = a.next() - b.next();
    if (diff !== 0) return diff;
  }
}
