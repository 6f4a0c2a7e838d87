"""Vietnamese banks a partner can be paid into: the NAPAS BIN (the six digits a VietQR
transfer code names the bank by), the short name people say and the full name.

BINs as in the public VietQR / NAPAS 247 bank list. A bank is added here, never renamed in
place: a partner's record keeps only the BIN, and a BIN never changes.

>>> bank_by_bin("970436").short_name
'Vietcombank'
>>> bank_by_bin("123456") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bank:
    bin: str
    short_name: str
    name: str


BANKS: tuple[Bank, ...] = (
    Bank("970436", "Vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam"),
    Bank("970415", "VietinBank", "Ngân hàng TMCP Công thương Việt Nam"),
    Bank("970418", "BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"),
    Bank("970405", "Agribank", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"),
    Bank("970407", "Techcombank", "Ngân hàng TMCP Kỹ thương Việt Nam"),
    Bank("970422", "MB", "Ngân hàng TMCP Quân đội"),
    Bank("970416", "ACB", "Ngân hàng TMCP Á Châu"),
    Bank("970432", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    Bank("970423", "TPBank", "Ngân hàng TMCP Tiên Phong"),
    Bank("970403", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín"),
    Bank("970437", "HDBank", "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh"),
    Bank("970441", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam"),
    Bank("970443", "SHB", "Ngân hàng TMCP Sài Gòn - Hà Nội"),
    Bank("970431", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam"),
    Bank("970426", "MSB", "Ngân hàng TMCP Hàng Hải Việt Nam"),
    Bank("970448", "OCB", "Ngân hàng TMCP Phương Đông"),
    Bank("970440", "SeABank", "Ngân hàng TMCP Đông Nam Á"),
    Bank("970449", "LPBank", "Ngân hàng TMCP Lộc Phát Việt Nam"),
    Bank("970428", "Nam A Bank", "Ngân hàng TMCP Nam Á"),
    Bank("970409", "Bac A Bank", "Ngân hàng TMCP Bắc Á"),
    Bank("970427", "VietABank", "Ngân hàng TMCP Việt Á"),
    Bank("970412", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam"),
    Bank("970452", "Kienlongbank", "Ngân hàng TMCP Kiên Long"),
    Bank("970425", "ABBANK", "Ngân hàng TMCP An Bình"),
    Bank("970438", "BaoViet Bank", "Ngân hàng TMCP Bảo Việt"),
    Bank("970419", "NCB", "Ngân hàng TMCP Quốc Dân"),
    Bank("970454", "BVBank", "Ngân hàng TMCP Bản Việt"),
    Bank("970433", "Vietbank", "Ngân hàng TMCP Việt Nam Thương Tín"),
    Bank("970430", "PGBank", "Ngân hàng TMCP Thịnh vượng và Phát triển"),
    Bank("970400", "Saigonbank", "Ngân hàng TMCP Sài Gòn Công Thương"),
    Bank("970406", "DongA Bank", "Ngân hàng TMCP Đông Á"),
    Bank("970408", "GPBank", "Ngân hàng TM TNHH MTV Dầu khí Toàn cầu"),
    Bank("970429", "SCB", "Ngân hàng TMCP Sài Gòn"),
    Bank("970421", "VRB", "Ngân hàng Liên doanh Việt - Nga"),
    Bank("970424", "Shinhan Bank", "Ngân hàng TNHH MTV Shinhan Việt Nam"),
    Bank("970457", "Woori Bank", "Ngân hàng TNHH MTV Woori Việt Nam"),
    Bank("970458", "UOB", "Ngân hàng TNHH MTV United Overseas Bank (Việt Nam)"),
)
_BY_BIN = {bank.bin: bank for bank in BANKS}


def bank_by_bin(bin_: str) -> Bank | None:
    return _BY_BIN.get(bin_)
