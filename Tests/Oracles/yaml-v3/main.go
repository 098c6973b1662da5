// yaml-v3: the reference the YAML module is compared with (Tests/InteropTests).
//
//	yaml-v3 encode INDENT < documents.json
//	    Writes every element of a JSON array as one document of a gopkg.in/yaml.v3 stream
//	    (yaml.NewEncoder, SetIndent(INDENT), one Encode per element), as Go programs such as Talos and
//	    talhelper write YAML. JSON objects become Go maps, so keys come out in yaml.v3's map order.
//	yaml-v3 resolve < strings.json
//	    For each string s, decodes "a: s\n" into a yaml.Node and prints the value's tag (JSON array);
//	    "ERR" when yaml.v3 rejects the document.
//
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build (Debian: golang-go, golang-gopkg-yaml.v3-dev).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"gopkg.in/yaml.v3"
)

func fail(code int, message ...interface{}) {
	fmt.Fprintln(os.Stderr, message...)
	os.Exit(code)
}

func encode(indent int) {
	var documents []interface{}
	if err := json.NewDecoder(os.Stdin).Decode(&documents); err != nil {
		fail(1, "bad JSON:", err)
	}
	var out bytes.Buffer
	encoder := yaml.NewEncoder(&out)
	encoder.SetIndent(indent)
	for _, document := range documents {
		if err := encoder.Encode(document); err != nil {
			fail(1, "encode:", err)
		}
	}
	if err := encoder.Close(); err != nil {
		fail(1, "close:", err)
	}
	os.Stdout.Write(out.Bytes())
}

func resolve() {
	var scalars []string
	if err := json.NewDecoder(os.Stdin).Decode(&scalars); err != nil {
		fail(1, "bad JSON:", err)
	}
	tags := make([]string, 0, len(scalars))
	for _, s := range scalars {
		var node yaml.Node
		if err := yaml.Unmarshal([]byte("a: "+s+"\n"), &node); err != nil || len(node.Content) == 0 ||
			len(node.Content[0].Content) != 2 {
			tags = append(tags, "ERR")
			continue
		}
		tags = append(tags, node.Content[0].Content[1].ShortTag())
	}
	out, _ := json.Marshal(tags)
	os.Stdout.Write(out)
}

func main() {
	switch {
	case len(os.Args) == 3 && os.Args[1] == "encode":
		indent, err := strconv.Atoi(os.Args[2])
		if err != nil {
			fail(2, "bad indent:", err)
		}
		encode(indent)
	case len(os.Args) == 2 && os.Args[1] == "resolve":
		resolve()
	default:
		fail(2, "usage: yaml-v3 encode INDENT < documents.json | yaml-v3 resolve < strings.json")
	}
}
