// The Jinja module; see Package.swift for its role.
