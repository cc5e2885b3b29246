// A tiny HTTP server. Run with -version (the image's default command) to print its version and
// exit, or with no flag to serve on :8080.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"runtime"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	printVersion := flag.Bool("version", false, "print the version and exit")
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()

	banner := fmt.Sprintf("hello-server %s (%s, %s/%s)", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if *printVersion {
		fmt.Println(banner)
		return
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, banner)
	})
	log.Printf("%s listening on %s", banner, *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}
