#!/bin/sh
# Fills fuzz/corpus/<target>/ (git-ignored) with seed inputs: the repo's
# fixtures and vendor db, fuzz/seeds/, and an SBOM conformance corpus if
# one is given (files under 100 KB, which keeps the fuzzers fast).
#
#   fuzz/seed.sh [/path/to/sbom/corpus]
set -eu
cd "$(dirname "$0")"
shared=${1:-}
fixtures=../fixtures

small() { find "$@" -type f -size -100k; }
# Copies the files named on stdin into corpus/$1, prefixed by a hash of
# their path so that equal names from different folders do not collide.
copy_to() {
    dir=corpus/$1
    mkdir -p "$dir"
    while read -r f; do
        cp "$f" "$dir/$(printf %s "$f" | md5sum | cut -c1-12)-$(basename "$f")"
    done
}
sboms() { small "$@" \( -name '*.json' -o -name '*.xml' -o -name '*.spdx' \); }

{ [ -n "$shared" ] && small "$shared"; sboms $fixtures; } | copy_to read_any
{ [ -n "$shared" ] && small "$shared" -name '*.json'; small $fixtures -name '*.json'; } \
    | xargs grep -l -i cyclonedx | copy_to cyclonedx_json
{ [ -n "$shared" ] && small "$shared" -name '*.xml'; small $fixtures -name '*.xml'; } | copy_to cyclonedx_xml
{ [ -n "$shared" ] && small "$shared" -name '*.json'; small $fixtures -name '*.json'; } \
    | xargs grep -l spdxVersion | copy_to spdx_json
{ [ -n "$shared" ] && small "$shared" -name '*.spdx'; small $fixtures -name '*.spdx'; } | copy_to spdx_tag_value
{ [ -n "$shared" ] && sboms "$shared"; sboms $fixtures; } | grep -v /invalid/ | copy_to audit
ls ../vendor-db/*.toml | copy_to vendordb
{ ls $fixtures/waivers/*; ls seeds/waivers/*; } | copy_to waivers
# Licensing inputs start with a byte that picks the format (even: CSV).
mkdir -p corpus/licensing
for f in $fixtures/licensing/*.csv; do { printf '\000'; cat "$f"; } > "corpus/licensing/$(basename "$f")"; done
for f in $fixtures/licensing/*.toml; do { printf '\001'; cat "$f"; } > "corpus/licensing/$(basename "$f")"; done
cp seeds/licensing/* corpus/licensing/
for d in corpus/*; do echo "$d: $(ls "$d" | wc -l) files"; done
