#!/usr/bin/env bash
# Demo mode only (scripts/run.sh): the demo practice's staff accounts with known development passwords, so that a
# person can sign in to the web app at once, and the practice's billing profile (fictional organisation, ISA15 "test")
# so that the 837P download works. Safe to run again: an account or a profile that exists is left as it is.
# Usage: scripts/demo-staff.sh <http base> <admin token file> <practice name> <time zone>
set -euo pipefail
http="$1"; token="$(cat "$2")"; name="$3"; zone="$4"
password="careloop-demo-only"
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")

# The simulator reuses the practice of this name and zone, so creating it first (if missing) is the same practice.
practice=$(curl -sf "${auth[@]}" "$http/api/v1/practices" \
  | grep -o "{\"id\":\"[0-9a-f-]*\",\"name\":\"$name\",\"timeZone\":\"$zone\"}" | head -n 1 | sed 's/{"id":"\([0-9a-f-]*\)".*/\1/' || true)
if [ -z "$practice" ]; then
  practice=$(curl -sf "${auth[@]}" -XPOST "$http/api/v1/practices" -d "{\"name\":\"$name\",\"timeZone\":\"$zone\"}" \
    | sed 's/.*"id":"\([0-9a-f-]*\)".*/\1/')
fi

staff() { # email, display name, role, npi (or empty)
  local npi=""; [ -n "$4" ] && npi=",\"npi\":\"$4\""
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" -XPOST "$http/api/v1/staff" \
    -d "{\"practiceId\":\"$practice\",\"email\":\"$1\",\"displayName\":\"$2\",\"role\":\"$3\",\"password\":\"$password\"$npi}")
  case "$status" in 201|409) ;; *) echo "demo-staff.sh: could not create $1 (HTTP $status)" >&2 ;; esac
}
staff nurse@demo.careloop.test "Robin Nurse" rn ""
staff doctor@demo.careloop.test "Okafor, Adaeze" physician 1234567893
staff billing@demo.careloop.test "Bea Biller" billing ""
staff admin@demo.careloop.test "Alex Admin" admin ""

# The billing profile is practice configuration, like the staff, so it is set here rather than by the simulator.
# Fictional: the organisation NPI only passes the check digit, the EIN and the payer ids are placeholders.
profile_status=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$http/api/v1/billing/profile?practiceId=$practice")
if [ "$profile_status" = "404" ]; then
  status=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" -XPUT "$http/api/v1/billing/profile?practiceId=$practice" -d '{
    "billingProvider": {"organizationName": "CARELOOP DEMO PRACTICE", "npi": "1987654328", "ein": "521234567",
      "address": {"line1": "100 DEMO PLAZA", "city": "CHICAGO", "state": "IL", "zip": "606011234"}},
    "submitter": {"name": "CARELOOP DEMO PRACTICE", "id": "DEMO0001", "contactName": "BILLING OFFICE", "contactPhone": "3125550100"},
    "receiver": {"name": "DEMO MEDICARE CONTRACTOR", "id": "00000"},
    "payer": {"name": "MEDICARE PART B", "payerId": "00000"},
    "usage": "test"}')
  [ "$status" = "200" ] || echo "demo-staff.sh: could not set the billing profile (HTTP $status)" >&2
fi

cat <<MSG
run.sh: demo: web app at $http/ — sign in with one of these demo accounts (password '$password', development only):
run.sh:   nurse@demo.careloop.test (registered nurse: alert queue, charts, time)   doctor@demo.careloop.test (physician)
run.sh:   billing@demo.careloop.test (billing: readiness, month close, exports)    admin@demo.careloop.test (administrator)
MSG
