import PortalCore
print("portal")
