//go:build linux

package main

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ownConnection tells whether the client end of r's connection is a socket of this very
// process: a request vcsim makes to itself, such as the vAPI content library pulling a file
// from the simulator's own /folder URL (govc library.import -pull), which carries no
// credentials. Only an authenticated client can make vcsim do that, and no other process
// can own the socket. The TCP tables of /proc name the socket; /proc/self/fd tells its owner.
func ownConnection(r *http.Request) bool {
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	client, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	server, err := netip.ParseAddrPort(local.String())
	if err != nil {
		return false
	}
	inode := socketInode(unmap(client), unmap(server))
	return inode != "" && ownsSocket(inode)
}

func unmap(a netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
}

// socketInode returns the inode of the TCP socket whose local end is from and remote end
// is to, or "" if there is none.
func socketInode(from, to netip.AddrPort) string {
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		lines := bufio.NewScanner(f)
		lines.Scan() // header
		for lines.Scan() {
			fields := strings.Fields(lines.Text())
			if len(fields) < 10 {
				continue
			}
			local, okLocal := parseProcAddr(fields[1])
			remote, okRemote := parseProcAddr(fields[2])
			if okLocal && okRemote && local == from && remote == to {
				f.Close()
				return fields[9]
			}
		}
		f.Close()
	}
	return ""
}

// parseProcAddr reads a /proc/net/tcp{,6} address: the IP as 32-bit words in the host's
// byte order, in hex, then ":" and the port in hex.
func parseProcAddr(s string) (netip.AddrPort, bool) {
	ipHex, portHex, ok := strings.Cut(s, ":")
	raw, err := hex.DecodeString(ipHex)
	if !ok || err != nil || (len(raw) != 4 && len(raw) != 16) {
		return netip.AddrPort{}, false
	}
	port, err := strconv.ParseUint(portHex, 16, 16)
	if err != nil {
		return netip.AddrPort{}, false
	}
	ip := make([]byte, len(raw))
	for i := 0; i < len(raw); i += 4 {
		binary.NativeEndian.PutUint32(ip[i:], binary.BigEndian.Uint32(raw[i:]))
	}
	addr, _ := netip.AddrFromSlice(ip)
	return netip.AddrPortFrom(addr.Unmap(), uint16(port)), true
}

// ownsSocket tells whether one of this process's file descriptors is the socket inode.
func ownsSocket(inode string) bool {
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return false
	}
	want := "socket:[" + inode + "]"
	for _, fd := range fds {
		if link, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && link == want {
			return true
		}
	}
	return false
}
