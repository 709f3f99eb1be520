package main

import (
	"net"
	"strconv"

	"github.com/vmware/govmomi/simulator/esx"
	"github.com/vmware/govmomi/vim25/types"
)

// updateHostTemplate gives the hosts vcsim will create the listen address, as upstream:
// the management server IP, every VMkernel adapter's IP (vmk0, the vMotion and other
// nic-type candidates) and, unless the port is 0, summary.config.port.
func updateHostTemplate(listen string) error {
	addr, port, err := net.SplitHostPort(listen)
	if err != nil {
		return err
	}
	esx.HostSystem.Summary.ManagementServerIp = addr
	if port != "0" { // a port picked at listen time is not known yet
		n, err := strconv.ParseInt(port, 10, 32)
		if err != nil {
			return err
		}
		esx.HostSystem.Summary.Config.Port = int32(n)
	}

	// The slices share their elements with the template, which is what gets changed.
	config := &esx.HostConfigInfo
	vnics := [][]types.HostVirtualNic{config.Network.Vnic, config.Vmotion.NetConfig.CandidateVnic}
	for _, nicType := range config.VirtualNicManagerInfo.NetConfig {
		vnics = append(vnics, nicType.CandidateVnic)
	}
	for _, list := range vnics {
		for i := range list {
			list[i].Spec.Ip.IpAddress = addr
		}
	}
	return nil
}
