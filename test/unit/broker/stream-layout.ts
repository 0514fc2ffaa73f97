// The stream layout the broker unit tests start from: protocol 31, links
// kept, nothing else that adds fields.
import type { StreamLayout } from '../../../src/broker/sender-stream.js';

export const layout: StreamLayout = {
  protocol: 31,
  varintFlags: true,
  safeFlist: true,
  preserveUid: false,
  preserveGid: false,
  preserveLinks: true,
  preserveDevices: false,
  preserveSpecials: false,
  preserveHardLinks: false,
  preserveAtimes: false,
  preserveCrtimes: false,
  relativePaths: false,
  checksumLength: 0,
  preserveAcls: false,
  preserveXattrs: false,
  xattrChecksumLength: 16,
  missingArgsDeleted: false,
  incRecurse: false,
  doXfers: true,
  compressed: false,
  transferChecksumLength: 16,
  uidList: false,
  gidList: false,
  id0Names: false,
  xattrOptimization: false,
  appendMode: false,
  unsortedIndexes: false,
};
