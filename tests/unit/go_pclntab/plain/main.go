// A program that links none of net, os/user, crypto/x509 and runtime/cgo.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	fmt.Println(strings.ToUpper(strings.Join(os.Args, " ")))
}
