use super::*;
use crate::value::item_from_json;

fn item(json: &str) -> Item {
    item_from_json(&serde_json::from_str(json).unwrap()).unwrap()
}

#[test]
fn writes_awss_example_shape() {
    let book = item(
        r#"{"Authors":{"SS":["Author1","Author2"]},"Id":{"N":"103"},"InPublication":{"BOOL":false},
            "Price":{"N":"1.5"},"Cover":{"B":"AAE="},"Gone":{"NULL":true},"odd name":{"L":[{"S":"x"}]}}"#,
    );
    assert_eq!(
        item_line(&book),
        r#"$ion_1_0 {Item:{Authors:$dynamodb_SS::["Author1","Author2"],Cover:{{AAE=}},Gone:null,Id:103.,InPublication:false,Price:1.5,'odd name':["x"]}}"#
    );
}

#[test]
fn every_type_round_trips() {
    let all = item(
        r#"{"s":{"S":"a \"q\" \n ü"},"n":{"N":"-12.5E3"},"b":{"B":"AQID"},"t":{"BOOL":true},"z":{"NULL":true},
            "m":{"M":{"in":{"L":[{"N":"1"},{"SS":["x"]}]}}},"ss":{"SS":["a","b"]},"ns":{"NS":["1","2.5"]},
            "bs":{"BS":["AQ=="]},"it's":{"S":""}}"#,
    );
    assert_eq!(read_item_line(&item_line(&all)).unwrap(), all);
}

#[test]
fn reads_awss_documented_line_with_ion_numbers_and_comments() {
    let line = r#"$ion_1_0 { /* a book */ Item:{ Id:103., PageCount:6d2, Price:2d3, Dimensions:"8.5 x 11.0 x 1.5",
        "quoted":1_000, Authors:$dynamodb_SS::["Author1","Author2"] } } // end"#;
    let got = read_item_line(line).unwrap();
    let want = item(
        r#"{"Id":{"N":"103"},"PageCount":{"N":"600"},"Price":{"N":"2000"},"Dimensions":{"S":"8.5 x 11.0 x 1.5"},
            "quoted":{"N":"1000"},"Authors":{"SS":["Author1","Author2"]}}"#,
    );
    assert_eq!(got, want);
}

#[test]
fn refusals_say_what_and_where() {
    assert_eq!(
        read_item_line("{Other:{}}").unwrap_err(),
        "The line has no Item field: Ion import lines are {Item:{…}}"
    );
    assert_eq!(
        read_item_line("{Item:{a:1 b:2}}").unwrap_err(),
        "Ion text could not be read at byte 11: expected ',' or '}'"
    );
    assert_eq!(
        read_item_line("{Item:{:1}}").unwrap_err(),
        "Ion text could not be read at byte 7: expected a field name"
    );
    assert_eq!(
        read_item_line("{Item:{a:0x1F}}").unwrap_err(),
        "Ion text could not be read at byte 13: 0x1F is not a decimal number"
    );
    assert_eq!(
        read_item_line("{Item:{a:$dynamodb_NS::[\"x\"]}}").unwrap_err(),
        "A $dynamodb_NS list holds a value of another type"
    );
    assert!(read_item_line(&"[".repeat(100)).unwrap_err().ends_with("nested too deeply"));
    assert!(read_item_line("{Item:{a:\"open}}").unwrap_err().ends_with("unterminated string"));
}
