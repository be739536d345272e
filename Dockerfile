# A firedrill runner image: Node 20 and the tools faults need (nftables, iproute2, stress-ng,
# procps, ssh client), all from Debian packages. firedrill itself is installed from its npm
# package, prepared outside the build so the build needs no npm registry: `npm run image`
# (scripts/image.mjs) packs, installs into a prefix and builds this file. See docs/runner-image.md.
#
# BASE defaults to Debian 13 (its nodejs is Node 20). Where no registry is reachable, build a
# base from Debian packages: debootstrap --variant=minbase trixie ./root, then
# tar -C root -c . | docker import - local/debian:trixie and pass --base local/debian:trixie.
ARG BASE=debian:trixie-slim
FROM ${BASE}

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      nodejs ca-certificates nftables iproute2 stress-ng procps openssh-client \
 && rm -rf /var/lib/apt/lists/* \
 && node -e 'const [major] = process.versions.node.split(".").map(Number); if (major < 20) { console.error(`firedrill needs Node >= 20, the base has ${process.version}`); process.exit(1); }'

# the global npm prefix that scripts/image.mjs installed the packed firedrill into
COPY prefix/ /usr/local/

ENV FIREDRILL_STATE_DIR=/var/lib/firedrill
WORKDIR /drills
ENTRYPOINT ["firedrill"]
CMD ["--help"]
