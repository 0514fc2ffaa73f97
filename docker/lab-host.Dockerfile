# A host of the docker lab: sshd and rsync, nothing else. compose.yaml
# provisions it at start with provision/provision-host.sh, the script the
# test lab and `relaysync demo` use.
FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssh-server rsync \
 && rm -rf /var/lib/apt/lists/*
