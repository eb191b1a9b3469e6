"""admin_sync"""
