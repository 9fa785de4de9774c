// Command startprobe prints one line and exits 0: it shows whether a Go
// program starts at all. It links net and os/user, so with the netgo and
// osusergo tags nothing of it needs cgo, and only cgo.go (tag
// probe_runtime_cgo) links runtime/cgo.
package main

import (
	"fmt"
	"net"
	"os/user"
)

func main() {
	_, err := user.Current()
	fmt.Println("startprobe: started", net.ParseIP("127.0.0.1"), err == nil)
}
