// yaml-v3-encode: the reference the YAML emitter is compared with (Tests/InteropTests).
//
// Reads a JSON array from stdin and writes every element as one document of a gopkg.in/yaml.v3 stream
// (yaml.NewEncoder, SetIndent(INDENT), one Encode per element), exactly as Go programs such as Talos and
// talhelper write YAML. JSON objects become Go maps, so their keys come out in yaml.v3's map order.
//
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build (Debian: golang-go, golang-gopkg-yaml.v3-dev).
// Usage: yaml-v3-encode INDENT < documents.json
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"gopkg.in/yaml.v3"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: yaml-v3-encode INDENT < documents.json")
		os.Exit(2)
	}
	indent, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad indent:", err)
		os.Exit(2)
	}
	var documents []interface{}
	if err := json.NewDecoder(os.Stdin).Decode(&documents); err != nil {
		fmt.Fprintln(os.Stderr, "bad JSON:", err)
		os.Exit(1)
	}
	var out bytes.Buffer
	encoder := yaml.NewEncoder(&out)
	encoder.SetIndent(indent)
	for _, document := range documents {
		if err := encoder.Encode(document); err != nil {
			fmt.Fprintln(os.Stderr, "encode:", err)
			os.Exit(1)
		}
	}
	if err := encoder.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "close:", err)
		os.Exit(1)
	}
	os.Stdout.Write(out.Bytes())
}
