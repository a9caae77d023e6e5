"""The images behind the schema1 corpus cases: configs written byte by
byte (key order, escapes, times, Go's case-insensitive keys), with layers
that are short labels (the registry checks that blobs exist, not what
they hold; `diff_ids` are labels too)."""

import json

from registry_client import sha256

S2 = "application/vnd.docker.distribution.manifest.v2+json"
OCI = "application/vnd.oci.image.manifest.v1+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip"
LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar"
OCI_TWINS = {
    "application/vnd.oci.image.layer.v1.tar+gzip": LAYER_GZIP,
    "application/vnd.oci.image.layer.v1.tar": LAYER_TAR,
}


def descriptor(media_type, data):
    return {"mediaType": media_type, "size": len(data), "digest": sha256(data)}


def compact(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


class Image:
    def __init__(self, key, about, config, layers=1, name=None, tag="v1",
                 oci_layer_types=None, annotations=None):
        self.key, self.about, self.name, self.tag = key, about, name, tag
        self.layers = [f"tranship corpus {key} layer {i}\n".encode() for i in range(layers)]
        diff_ids = [sha256(b"diff_id of " + layer) for layer in self.layers]
        self.config = config.strip().replace("DIFF_IDS", json.dumps(diff_ids)).encode()
        self.oci = oci_layer_types is not None
        self.annotations = annotations or {}
        if self.oci:
            body = {"schemaVersion": 2, "mediaType": OCI,
                    "config": descriptor(OCI_CONFIG, self.config),
                    "layers": [descriptor(t, l) for t, l in zip(oci_layer_types, self.layers)]}
            if self.annotations:
                body["annotations"] = self.annotations
            self.layer_types = [OCI_TWINS.get(t, t) for t in oci_layer_types]
            self.manifest = compact(body)
        else:
            self.layer_types = [LAYER_GZIP] * layers
            self.manifest = self.schema2_twin()

    def schema2_twin(self) -> bytes:
        """Docker schema2 with this image's config and layers."""
        return compact({"schemaVersion": 2, "mediaType": S2,
                        "config": descriptor(DOCKER_CONFIG, self.config),
                        "layers": [descriptor(t, l) for t, l in zip(self.layer_types, self.layers)]})


IMAGES = {image.key: image for image in [
    Image("mid-empty", "empty layers in the middle and on top, author and comment on some entries only",
          r'''
{"architecture":"amd64","config":{"Env":["PATH=/usr/bin:/bin"],"Cmd":["sh"]},"created":"2024-01-02T03:04:09Z","os":"linux","rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":[
{"created":"2024-01-02T03:04:05Z","created_by":"/bin/sh -c #(nop) ADD file:0123abcd in / "},
{"created":"2024-01-02T03:04:06Z","created_by":"/bin/sh -c #(nop)  ENV A=1","empty_layer":true},
{"created":"2024-01-02T03:04:07Z","author":"Ann <ann@example.com>","created_by":"/bin/sh -c #(nop)  LABEL x=y","comment":"two empty layers in a row","empty_layer":true},
{"created":"2024-01-02T03:04:08Z","created_by":"RUN make && make install","comment":"buildkit.dockerfile.v0"},
{"created":"2024-01-02T03:04:09Z","author":"Ann <ann@example.com>","created_by":"CMD [\"sh\"]","empty_layer":true}]}
''', layers=2, name="team/mid-empty", tag="v1"),
    Image("text", "escapes: <, >, & and U+2028 in raw config values, \\b and \\f, non-ASCII, an empty base entry and a non-empty top",
          r'''
{"architecture":"amd64","author":"Zoë <z@example.com> & co","config":{"Cmd":["echo","<b>&amp;</b>"],"Labels":{"desc":"caf\u00e9 \u2028 line\/sep\b\f"}},"created":"2024-02-29T12:00:00.5+01:00","os":"linux","rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":[
{"created":"2024-02-29T12:00:00Z","author":"Zoë","created_by":"/bin/sh -c echo \"<tag>\" > /a && echo 'x' | tr a b","comment":"tab\there, bell \u0007, backspace \b, form feed \f, \u0001","empty_layer":true},
{"created":"2024-02-29T12:00:01Z","created_by":"RUN echo 日本語 😀 \u2028 \u2029 \\ \/ end","comment":"non-ASCII: ü ß 中"}]}
''', layers=1, name="library/text", tag="latest"),
    Image("times", "created times with zones, long and trailing-zero fractions, a one-digit hour, missing and null",
          r'''
{"architecture":"arm64","variant":"v8","created":"2023-06-01T10:00:00.100000000+02:00","os":"linux","rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":[
{"created":"2023-06-01T10:00:00.123456789123+02:00","created_by":"a","empty_layer":true},
{"created":"2023-06-01T10:00:00.500000Z","created_by":"b","empty_layer":true},
{"created":"2023-06-01T10:00:00+00:00","created_by":"c","empty_layer":true},
{"created":"2023-06-01T10:00:00.000000000-05:30","created_by":"d","empty_layer":true},
{"created":"2023-06-01T9:05:00Z","created_by":"e","empty_layer":true},
{"created_by":"f has no created","empty_layer":true},
{"created":null,"created_by":"g has created null","empty_layer":true},
{"created":"2023-06-01T10:00:00.1-00:00","created_by":"h"}]}
''', layers=1, name="team/times", tag="2024.01-rc_1"),
    Image("single", "one history entry: no parent, so the config's own `parent` and `throwaway` stay; `id` is replaced",
          r'''
{"id":"0000","parent":"from the config","throwaway":false,"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":[{"created":"2024-01-01T00:00:00Z","created_by":"COPY . /"}]}
''', layers=1, name="team/single", tag="v1"),
    Image("no-layers", "no layers: a single empty history entry becomes the empty-gzip blobSum",
          r'''
{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":[{"created":"2024-01-01T00:00:00Z","created_by":"CMD [\"true\"]","empty_layer":true}]}
''', layers=0, name="team/no-layers", tag="v1"),
    Image("windows", "Windows rootfs.base_layer: the base entry's parent is SHA-384 of it, cut to 32 bytes",
          r'''
{"architecture":"amd64","os":"windows","os.version":"10.0.17763.1","rootfs":{"type":"layers","diff_ids":DIFF_IDS,"base_layer":"sha256:9f0c0e8a0ec3b4e0e1d1ad2e3b8b9f4e1b8a8d5e2e1e6c0c6f7f3a1e0d9c8b7a"},"history":[
{"created":"2019-01-01T00:00:00Z","created_by":"Apply image 10.0.17763.1"},
{"created":"2019-01-02T00:00:00Z","created_by":"cmd /S /C #(nop)  ENV X=1","empty_layer":true},
{"created":"2019-01-03T00:00:00Z","created_by":"cmd /S /C echo hi > C:\\hi.txt"}]}
''', layers=2, name="team/windows", tag="ltsc2019"),
    Image("go-keys", "Go reads the config case-insensitively (RootFS, History, CREATED_BY, Empty_Layer; last duplicate wins) while the top entry keeps every key as written; numbers and escapes kept raw",
          r'''
{
  "Architecture": "arm64",
  "architecture": "s390x",
  "os": "linux",
  "os": "plan9",
  "id": "replaced",
  "numbers": [1.0, 1e3, -0.0, 12345678901234567890],
  "nested": { "b": 1, "a": "\/\u00e9" },
  "RootFS": {"type": "layers", "diff_ids": DIFF_IDS},
  "History": [
    {"created": "2024-01-01T00:00:00Z", "CREATED_BY": "first", "comment": "one", "comment": "two"},
    {"created": "2024-01-01T00:00:01Z", "created_by": "second", "Empty_Layer": true},
    {"created": "2024-01-01T00:00:02Z", "created_by": "third"}
  ]
}
''', layers=2, name="team/go-keys", tag="v1"),
    Image("oci", "an OCI image manifest (gzip and plain tar layers, annotations): same payload as its schema2 twin, annotations reported lost",
          r'''
{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/app"]},"rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":[
{"created":"2024-03-01T00:00:00Z","created_by":"ADD rootfs.tar /"},
{"created":"2024-03-01T00:00:01Z","created_by":"COPY app /app"}]}
''', layers=2, name="team/oci", tag="v1",
          oci_layer_types=["application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.oci.image.layer.v1.tar"],
          annotations={"org.opencontainers.image.source": "https://example.com/app"}),
    Image("arm", "an arm64 image for manifest lists",
          r'''
{"architecture":"arm64","variant":"v8","os":"linux","rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":[{"created":"2024-01-01T00:00:00Z","created_by":"ADD arm /"}]}
''', layers=1),
    Image("amd-b", "a second amd64 image for manifest lists",
          r'''
{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":[{"created":"2024-01-01T00:00:00Z","created_by":"ADD b /"}]}
''', layers=1),
]}
