#!/bin/sh
# A remote shell for plain rsync that runs the "remote" command on this
# machine: `rsync -e local-rsh.sh SRC anyhost:DEST` then talks to an rsync
# server through pipes exactly as it would over ssh, so it uses the delta
# algorithm (a local copy would go whole-file) and --rsync-path picks the
# server's version. rsync calls it as `local-rsh.sh [-l USER] HOST COMMAND...`.
if [ "$1" = "-l" ]; then shift 2; fi
shift
exec /bin/sh -c "$*"
