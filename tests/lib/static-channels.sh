# SPDX-License-Identifier: Apache-2.0
# The static event channels of every two-domain run (sourced by the benchmark and Xen
# runners; boards/*/domains.dtsi and tests/guest/README.md say the same): the conformance
# guest as dom0 and as the peer domU1, dom0 port 10 <-> domU1 port 11 (echo) and dom0 port
# 12 <-> domU1 port 13 (control), in Xen's dom0less bindings (docs/dt-bindings.md).
#
#   $DOM0_CHANNEL_ARGS   what dom0's bootargs add to its role for these channels
#   $PEER_BOOTARGS       domU1's bootargs
#   dt_channels dom0|domU1   the xen,evtchn-v1 nodes of that side: dom0's go in /chosen,
#                            domU1's in its /chosen/domU1 node

DOM0_CHANNEL_ARGS="peer=1 sport=10 pport=11 sctl=12 pctl=13"
PEER_BOOTARGS="role=peer peer=0 sport=11 pport=10 sctl=13 pctl=12"

dt_channels() {
    case $1 in
    dom0)
        cat <<'DTS'
        d0_echo: evtchn@10 {
            compatible = "xen,evtchn-v1";
            xen,evtchn = <10 &d1_echo>;
        };
        d0_ctl: evtchn@12 {
            compatible = "xen,evtchn-v1";
            xen,evtchn = <12 &d1_ctl>;
        };
DTS
        ;;
    domU1)
        cat <<'DTS'
            d1_echo: evtchn@11 {
                compatible = "xen,evtchn-v1";
                xen,evtchn = <11 &d0_echo>;
            };
            d1_ctl: evtchn@13 {
                compatible = "xen,evtchn-v1";
                xen,evtchn = <13 &d0_ctl>;
            };
DTS
        ;;
    *)
        echo "dt_channels: dom0 or domU1, not $1" >&2
        return 2
        ;;
    esac
}
