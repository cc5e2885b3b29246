// The backend of the parallel-stages example: serves the frontend's built files. With -check
// (the image's default command) it lists what it would serve and exits.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
)

func main() {
	static := flag.String("static", "/app/static", "directory of the built frontend")
	check := flag.Bool("check", false, "list the files that would be served and exit")
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()

	if *check {
		err := filepath.Walk(*static, func(path string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			if !info.IsDir() {
				rel, _ := filepath.Rel(*static, path)
				fmt.Printf("backend would serve %s (%d bytes)\n", rel, info.Size())
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "backend:", err)
			os.Exit(1)
		}
		return
	}
	log.Printf("serving %s on %s", *static, *addr)
	log.Fatal(http.ListenAndServe(*addr, http.FileServer(http.Dir(*static))))
}
