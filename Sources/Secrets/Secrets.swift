// The Secrets module; see Package.swift for its role.
