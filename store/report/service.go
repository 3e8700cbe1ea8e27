package report

// ServiceCentreNames are the service centre's reports (queries,
// complaints, support needs, fees), kept apart from Names so that screens
// listing the casework reports are unchanged until they choose to show
// these too.
var ServiceCentreNames = []string{"queries", "complaints", "support-needs", "fees"}

// AllNames are every report: the casework reports, then the service
// centre's.
func AllNames() []string {
	return append(append([]string{}, Names...), ServiceCentreNames...)
}
