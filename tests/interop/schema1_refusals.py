"""Convert cases that must fail: what schema1 cannot express, configs the
conversion cannot use, bad names and keys. Written by hand; the registry
either crashes, silently drops layers or converts anyway on these."""

import json

from registry_client import sha256
from schema1_images import IMAGES, Image, compact

ONE_LAYER = r'''
{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":[{"created":"2024-01-01T00:00:00Z","created_by":"ADD x /"}]}
'''


def with_layer_type(key, media_type, about):
    image = Image(key, about, ONE_LAYER, layers=1, oci_layer_types=[media_type])
    return image.manifest, image.config


def with_config(key, config, layers, about):
    image = Image(key, about, config, layers=layers)
    return image.manifest, image.config


# name: (manifest bytes, config bytes, extra input, error, about)
def cases():
    good = IMAGES["mid-empty"]
    out = {
        "zstd": (*with_layer_type("zstd", "application/vnd.oci.image.layer.v1.tar+zstd", ""), {},
                 "CONVERSION", "a zstd layer has no schema1 form"),
        "foreign": (*with_layer_type("foreign", "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", ""), {},
                    "CONVERSION", "a foreign (non-distributable) layer has no schema1 form"),
        "encrypted": (*with_layer_type("encrypted", "application/vnd.oci.image.layer.v1.tar+gzip+encrypted", ""), {},
                      "CONVERSION", "an encrypted layer has no schema1 form"),
        "no-history": (*with_config("no-history", r'''{"architecture":"amd64","rootfs":{"type":"layers","diff_ids":DIFF_IDS}}''', 1, ""), {},
                       "CONVERSION", "a config without history cannot make schema1 history"),
        "empty-history": (*with_config("empty-history", r'''{"rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":[]}''', 1, ""), {},
                          "CONVERSION", "an empty history is refused as distribution refuses it"),
        "no-rootfs": (*with_config("no-rootfs", r'''{"history":[{"created_by":"x"}]}''', 1, ""), {},
                      "CONVERSION", "a config without rootfs (distribution crashes on it)"),
        "rootfs-null": (*with_config("rootfs-null", r'''{"rootfs":null,"history":[{"created_by":"x"}]}''', 1, ""), {},
                        "CONVERSION", "rootfs null counts as missing"),
        "extra-layer": (*with_config("extra-layer", r'''{"rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":[{"created_by":"x"},{"created_by":"y","empty_layer":true}]}''', 2, ""), {},
                        "CONVERSION", "more layers than non-empty history entries: distribution drops layers silently, tranship refuses"),
        "missing-layer": (*with_config("missing-layer", r'''{"rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":[{"created_by":"x"},{"created_by":"y"}]}''', 1, ""), {},
                          "CONVERSION", "fewer layers than non-empty history entries"),
        "diff-ids-mismatch": (*with_config("diff-ids-mismatch", r'''{"rootfs":{"type":"layers","diff_ids":["sha256:00"]},"history":[{"created_by":"x"},{"created_by":"y"}]}''', 2, ""), {},
                              "CONVERSION", "rootfs.diff_ids must count the manifest's layers"),
        "bad-time": (*with_config("bad-time", r'''{"rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":[{"created":"yesterday","created_by":"x"}]}''', 1, ""), {},
                     "CONVERSION", "a created time Go cannot read"),
        "history-not-array": (*with_config("history-not-array", r'''{"rootfs":{"type":"layers","diff_ids":DIFF_IDS},"history":{"created_by":"x"}}''', 1, ""), {},
                              "CONVERSION", "history of the wrong JSON type"),
        "config-mismatch": (good.manifest, IMAGES["arm"].config, {}, "DIGEST_MISMATCH",
                            "the config given is not the manifest's config"),
        "bad-name": (good.manifest, good.config, {"name": "Team/App"}, "INVALID_REFERENCE",
                     "schema1 names are lowercase repository paths"),
        "bad-tag": (good.manifest, good.config, {"tag": ".v1"}, "INVALID_REFERENCE",
                    "a tag cannot start with `.`"),
        "rsa-key": (good.manifest, good.config, {"signing_key": "data/keys/rsa.pem"}, "INVALID_KEY",
                    "an RSA key cannot sign ES256"),
        "rsa-traditional-key": (good.manifest, good.config, {"signing_key": "data/keys/rsa-traditional.pem"},
                                "INVALID_KEY", "a PKCS#1 RSA key is refused by name"),
        "p384-key": (good.manifest, good.config, {"signing_key": "data/keys/p384.pem"}, "INVALID_KEY",
                     "a P-384 key cannot sign ES256"),
    }
    list_body = compact({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
                         "manifests": [{"mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                                        "size": len(good.manifest), "digest": sha256(good.manifest),
                                        "platform": {"architecture": "amd64", "os": "linux"}}]})
    out["list"] = (list_body, good.config, {}, "CONVERSION", "a manifest list: convert one platform's manifest instead")
    artifact = json.loads(good.manifest)
    artifact["config"]["mediaType"] = "application/vnd.cncf.helm.config.v1+json"
    out["artifact"] = (compact(artifact), good.config, {}, "CONVERSION", "an artifact (non-image config) has no schema1 form")
    return out


def refusal_cases(write, v2s1):
    for name, (manifest, config, extra, error, about) in cases().items():
        write(v2s1 / f"data/refused/{name}/manifest.json", manifest)
        write(v2s1 / f"data/refused/{name}/config.json", config)
        inp = {"file": f"data/refused/{name}/manifest.json", "to": "v2s1",
               "config": f"data/refused/{name}/config.json",
               "name": "team/refused", "tag": "v1", "unsigned": True}
        inp.update(extra)
        if "signing_key" in extra:
            del inp["unsigned"]
        write(v2s1 / f"v2s1-refuse-{name}.json",
              {"op": "convert", "about": about, "input": inp, "error": error})
